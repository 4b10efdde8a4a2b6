-- wrk script: plain GET of the URL given to wrk (the framework ceiling,
-- e.g. /healthz). `done` prints the same JSON line as prequalify.lua.
--
--   wrk -t2 -c4 -d30s -s get.lua http://127.0.0.1:8000/healthz

function done(summary, latency, requests)
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, ' ..
      '"p50_us": %d, "p99_us": %d, "max_us": %d}\n',
      summary.requests, summary.duration, summary.errors.status,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      latency:percentile(50), latency:percentile(99), latency.max))
end
