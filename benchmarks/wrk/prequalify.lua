-- wrk script: authenticated POST /v1/prequalifications, rotating through
-- pre-made request bodies (one JSON document per line), each for a customer
-- who has already consented.
--
--   wrk -t2 -c4 -d30s -s prequalify.lua http://127.0.0.1:8000 -- BODIES TOKEN
--
-- Each thread starts at its own offset so concurrent connections ask about
-- different customers. `done` prints one JSON line that benchmarks/load.py reads.

local next_thread = 0

function setup(thread)
   thread:set("thread_number", next_thread)
   next_thread = next_thread + 1
end

local bodies = {}
local headers
local position = 0

function init(args)
   for line in io.lines(args[1]) do
      bodies[#bodies + 1] = line
   end
   headers = {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. args[2],
   }
   position = thread_number * math.floor(#bodies / 2)
end

function request()
   position = position + 1
   return wrk.format("POST", "/v1/prequalifications", headers, bodies[(position % #bodies) + 1])
end

function done(summary, latency, requests)
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, ' ..
      '"p50_us": %d, "p99_us": %d, "max_us": %d}\n',
      summary.requests, summary.duration, summary.errors.status,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      latency:percentile(50), latency:percentile(99), latency.max))
end
