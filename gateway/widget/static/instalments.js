/*! Instalments checkout widget v1 — served by the bank's gateway at /widget/v1/instalments.js.
 * Plain JavaScript, no dependencies, no build step, no eval, no inline styles:
 * it runs under `script-src 'self' <gateway origin>`. Usage:
 *
 *   Instalments.mount(document.getElementById("instalments"), {
 *     clientToken: "<from POST /v1/checkout-sessions>",
 *     locale: "zh-CN",                       // or "en"; default: the browser's language
 *     onOfferSelected: function (offerId, detail) { ... }
 *   });
 *
 * Events (bubbling CustomEvents on the element): instalments:ready,
 * instalments:decision, instalments:offer-selected, instalments:error.
 */
(function (global) {
  "use strict";

  var script = document.currentScript;
  var GATEWAY = script && script.src ? new URL(script.src).origin : global.location.origin;
  var PURPOSES = ["prequalification", "credit_inquiry", "marketing"];
  var counter = 0;

  var STRINGS = {
    en: {
      title: "Pay in instalments",
      orderTotal: "Order total",
      phone: "Mobile number",
      phoneHint: "The bank uses it to look up your pre-approval. {partner} does not see it.",
      required: "Required",
      optional: "Optional",
      details: "Who processes your data, and how",
      controller: "Controller",
      categories: "Data",
      method: "How",
      retention: "Kept for",
      recipients: "Shared with",
      withdrawal: "Withdrawing",
      rights: "Your rights",
      agree: {
        prequalification: "I agree that the bank checks whether I am pre-approved (required to continue)",
        credit_inquiry: "I authorise a credit bureau inquiry if I choose a plan (needed to choose one)",
        marketing: "The bank may send me offers (optional)"
      },
      submit: "See my instalment plans",
      working: "Checking…",
      needPhone: "Enter your mobile number.",
      needConsent: "Tick the first box to continue.",
      offersTitle: "Your instalment plans",
      partial: "Approved for {approved}. Pay {upfront} upfront and the rest in instalments.",
      perMonth: "per month",
      months: "{n} months",
      methods: { equal_instalment: "Equal monthly instalments", equal_principal: "Equal principal, falling payments", fee_based: "Fixed monthly fee" },
      apr: "APR",
      totalCost: "Total cost of credit",
      totalRepayable: "Total to repay",
      schedule: "Repayment schedule",
      colNumber: "#",
      colDue: "Due",
      colPayment: "Payment",
      colPrincipal: "Principal",
      colInterest: "Interest",
      colFee: "Fee",
      choose: "Choose this plan",
      chooseLabel: "Choose {n} months at {monthly} per month",
      needCreditInquiry: "To choose a plan, tick the credit inquiry authorisation above.",
      chosen: "You chose {n} months at {monthly} per month. {partner} will confirm your order.",
      declinedTitle: "We can't offer instalments for this order",
      referredTitle: "Your request needs a closer look",
      referredText: "A member of the bank's staff will review it.",
      review: "Request a human review",
      reviewRequested: "Review requested. The bank will contact you with the outcome.",
      expired: "This checkout has expired. Reload the page to start again.",
      failed: "Something went wrong. Please try again."
    },
    "zh-CN": {
      title: "分期付款",
      orderTotal: "订单金额",
      phone: "手机号码",
      phoneHint: "银行用于查询您的预审批结果，{partner}不会看到。",
      required: "必选",
      optional: "可选",
      details: "处理者及处理方式",
      controller: "处理者",
      categories: "数据",
      method: "方式",
      retention: "保存期限",
      recipients: "接收方",
      withdrawal: "撤回",
      rights: "您的权利",
      agree: {
        prequalification: "我同意银行评估我是否符合预审批条件（继续所必需）",
        credit_inquiry: "我授权银行在我选择方案后查询征信（选择方案所必需）",
        marketing: "银行可以向我发送优惠信息（可选）"
      },
      submit: "查看我的分期方案",
      working: "正在查询…",
      needPhone: "请输入手机号码。",
      needConsent: "请勾选第一项以继续。",
      offersTitle: "您的分期方案",
      partial: "已批准 {approved}。首付 {upfront}，其余分期支付。",
      perMonth: "每月",
      months: "{n} 期",
      methods: { equal_instalment: "等额本息", equal_principal: "等额本金（逐月递减）", fee_based: "按月固定费用" },
      apr: "年化利率",
      totalCost: "信贷总成本",
      totalRepayable: "应还总额",
      schedule: "还款计划",
      colNumber: "期数",
      colDue: "还款日",
      colPayment: "还款额",
      colPrincipal: "本金",
      colInterest: "利息",
      colFee: "费用",
      choose: "选择此方案",
      chooseLabel: "选择 {n} 期，每月 {monthly}",
      needCreditInquiry: "选择方案前，请勾选上方的征信查询授权。",
      chosen: "您已选择 {n} 期，每月 {monthly}。{partner}将确认您的订单。",
      declinedTitle: "很抱歉，本订单暂无法提供分期",
      referredTitle: "您的申请需要进一步审核",
      referredText: "银行工作人员将进行审核。",
      review: "申请人工复核",
      reviewRequested: "已申请人工复核，银行将告知您结果。",
      expired: "本次结账已过期，请刷新页面重新开始。",
      failed: "出错了，请重试。"
    }
  };

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // Builds DOM with textContent only: nothing the gateway returns is parsed as HTML.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function claims(token) {
    var part = String(token).split(".")[1] || "";
    var padded = part.replace(/-/g, "+").replace(/_/g, "/");
    while (padded.length % 4) padded += "=";
    try {
      var bytes = Uint8Array.from(global.atob(padded), function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new Error("Instalments.mount: clientToken is not a client token");
    }
  }

  function ensureStylesheet(href) {
    var links = document.querySelectorAll("link[data-instalments]");
    if (links.length) return;
    document.head.appendChild(el("link", { rel: "stylesheet", href: href, "data-instalments": "" }));
  }

  function Widget(element, options) {
    this.element = element;
    this.token = options.clientToken;
    this.sessionId = claims(this.token).sub;
    this.locale = options.locale || (/^zh/i.test(global.navigator.language || "") ? "zh-CN" : "en");
    if (!STRINGS[this.locale]) this.locale = "en";
    this.t = STRINGS[this.locale];
    this.onOfferSelected = options.onOfferSelected;
    this.uid = "inst" + ++counter;
    this.recorded = {};
    this.notices = [];
    this.phoneValue = "";
  }

  Widget.prototype.emit = function (name, detail) {
    this.element.dispatchEvent(new CustomEvent("instalments:" + name, { bubbles: true, detail: detail }));
  };

  Widget.prototype.call = function (method, path, body) {
    var self = this;
    var init = {
      method: method,
      mode: "cors",
      credentials: "omit",
      headers: { Authorization: "Bearer " + this.token }
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return global.fetch(GATEWAY + "/widget/v1/sessions/" + encodeURIComponent(this.sessionId) + path, init)
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) return data;
          var error = new Error(data.detail || response.statusText);
          error.status = response.status;
          error.problem = data;
          self.emit("error", { status: response.status, problem: data });
          throw error;
        });
      });
  };

  Widget.prototype.money = function (amount) {
    var number = Number(amount);
    try {
      return new Intl.NumberFormat(this.locale, { style: "currency", currency: this.currency }).format(number);
    } catch (e) {
      return this.currency + " " + amount;
    }
  };

  Widget.prototype.start = function () {
    var self = this;
    this.element.classList.add("inst-root");
    return Promise.all([
      this.call("GET", ""),
      this.call("GET", "/notices?locale=" + encodeURIComponent(this.locale))
    ]).then(function (results) {
      self.state = results[0];
      self.currency = results[0].currency;
      self.partnerName = results[0].partner.name[self.locale] || results[0].partner.name.en;
      self.notices = results[1].data;
      self.render();
      self.emit("ready", { checkoutSessionId: self.sessionId });
      if (self.state.prequalification_id) {
        return self.call("GET", "/prequalification?locale=" + encodeURIComponent(self.locale))
          .then(function (decision) { self.showDecision(decision); });
      }
    }).catch(function (error) { self.fail(error); });
  };

  Widget.prototype.render = function () {
    var t = this.t;
    var self = this;
    var phoneId = this.uid + "-phone";
    var hintId = this.uid + "-phone-hint";
    this.phone = el("input", {
      id: phoneId, type: "tel", name: "phone", autocomplete: "tel", inputmode: "tel",
      required: true, "aria-describedby": hintId, className: "inst-input"
    });
    this.boxes = {};
    var fieldsets = this.notices.map(function (notice) { return self.renderNotice(notice); });
    this.message = el("p", { className: "inst-message", role: "alert" });
    this.submit = el("button", { type: "submit", className: "inst-button", disabled: true, text: t.submit });
    this.form = el("form", { className: "inst-consent", novalidate: true }, [
      el("div", { className: "inst-field" }, [
        el("label", { "for": phoneId, text: t.phone }),
        this.phone,
        el("p", { id: hintId, className: "inst-hint", text: format(t.phoneHint, { partner: this.partnerName }) })
      ])
    ].concat(fieldsets, [this.message, this.submit]));
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.requestOffers();
    });
    this.form.addEventListener("change", function () { self.refreshButton(); });
    this.result = el("div", { className: "inst-result", "aria-live": "polite" });
    var root = el("section", { className: "inst-widget", lang: this.locale, "aria-labelledby": this.uid + "-title" }, [
      el("h2", { id: this.uid + "-title", className: "inst-title", text: t.title }),
      el("p", { className: "inst-amount" }, [
        t.orderTotal + " ",
        el("strong", { text: this.money(this.state.amount) }),
        " · " + this.partnerName
      ]),
      this.form,
      this.result
    ]);
    this.element.textContent = "";
    this.element.appendChild(root);
  };

  Widget.prototype.renderNotice = function (notice) {
    var t = this.t;
    var boxId = this.uid + "-" + notice.purpose;
    var textId = boxId + "-text";
    var box = el("input", {
      id: boxId, type: "checkbox", name: "purpose", value: notice.purpose,
      className: "inst-checkbox", "aria-describedby": textId
    });
    if (this.state.consents[notice.purpose]) {
      box.checked = true;
      box.disabled = true;
      this.recorded[notice.purpose] = true;
    }
    this.boxes[notice.purpose] = box;
    var facts = [
      [t.controller, notice.controller.name + " (" + notice.controller.contact + ")"],
      [t.categories, notice.data_categories.join(", ")],
      [t.method, notice.processing_method],
      [t.retention, notice.retention],
      [t.recipients, notice.recipients.join(", ")],
      [t.withdrawal, notice.withdrawal],
      [t.rights, notice.rights]
    ];
    var list = el("dl", { className: "inst-facts" });
    facts.forEach(function (fact) {
      list.appendChild(el("dt", { text: fact[0] }));
      list.appendChild(el("dd", { text: fact[1] }));
    });
    return el("fieldset", { className: "inst-notice", "data-purpose": notice.purpose }, [
      el("legend", { className: "inst-notice-title" }, [
        notice.title + " ",
        el("span", { className: notice.required ? "inst-badge inst-badge-required" : "inst-badge", text: notice.required ? t.required : t.optional })
      ]),
      el("p", { id: textId, className: "inst-notice-text", text: notice.text }),
      el("details", { className: "inst-details" }, [el("summary", { text: t.details }), list]),
      el("div", { className: "inst-check" }, [
        box,
        el("label", { "for": boxId, text: t.agree[notice.purpose] || notice.title })
      ])
    ]);
  };

  Widget.prototype.refreshButton = function () {
    this.submit.disabled = !this.boxes.prequalification.checked || this.busy === true;
  };

  Widget.prototype.say = function (text) {
    this.message.textContent = text || "";
  };

  // Records every ticked purpose not recorded yet, in one call with one receipt.
  Widget.prototype.recordTicked = function () {
    var self = this;
    var versions = {};
    this.notices.forEach(function (n) { versions[n.purpose] = n.version; });
    var grants = PURPOSES.filter(function (p) {
      return self.boxes[p] && self.boxes[p].checked && !self.recorded[p];
    }).map(function (p) { return { purpose: p, notice_version: versions[p] }; });
    if (!grants.length) return Promise.resolve(null);
    return this.call("POST", "/consents", {
      phone: this.phoneValue,
      grants: grants,
      locale: this.locale,
      page_url: global.location.href
    }).then(function (recorded) {
      recorded.consents.forEach(function (c) {
        self.recorded[c.purpose] = true;
        self.boxes[c.purpose].disabled = true;
      });
      self.phone.readOnly = true;
      return recorded;
    });
  };

  Widget.prototype.requestOffers = function () {
    var self = this;
    var t = this.t;
    // The guard that matters: no consent, no request.
    if (!this.boxes.prequalification.checked) return this.say(t.needConsent);
    this.phoneValue = this.phoneValue || this.phone.value.trim();
    if (!this.phoneValue) {
      this.phone.focus();
      return this.say(t.needPhone);
    }
    this.say("");
    this.busy = true;
    this.submit.textContent = t.working;
    this.refreshButton();
    return this.recordTicked().then(function () {
      return self.call("POST", "/prequalification", { locale: self.locale });
    }).then(function (decision) {
      self.form.classList.add("inst-consent-done");
      self.submit.hidden = true;
      self.showDecision(decision);
    }).catch(function (error) {
      self.busy = false;
      self.submit.textContent = t.submit;
      self.refreshButton();
      if (!self.recorded.prequalification) self.phoneValue = "";
      self.fail(error);
    });
  };

  Widget.prototype.fail = function (error) {
    var t = this.t;
    var text = error && error.status === 401 ? t.expired : (error && error.problem && error.problem.errors ?
      error.problem.errors.map(function (e) { return e.message; }).join(" ") : t.failed);
    if (this.message) this.say(text);
    else this.element.appendChild(el("p", { className: "inst-message", role: "alert", text: text }));
  };

  Widget.prototype.showDecision = function (decision) {
    this.decision = decision;
    this.result.textContent = "";
    if (this.submit) this.submit.hidden = true;
    var heading;
    if (decision.status === "approved" || decision.status === "partially_approved") {
      heading = this.renderOffers(decision);
    } else {
      heading = this.renderDecline(decision);
    }
    this.emit("decision", { status: decision.status, prequalificationId: decision.id });
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  };

  Widget.prototype.renderOffers = function (decision) {
    var self = this;
    var t = this.t;
    var heading = el("h3", { className: "inst-result-title", text: t.offersTitle });
    this.result.appendChild(heading);
    if (decision.status === "partially_approved") {
      this.result.appendChild(el("p", {
        className: "inst-note",
        text: format(t.partial, { approved: this.money(decision.approved_amount), upfront: this.money(decision.upfront_payment) })
      }));
    }
    var list = el("ul", { className: "inst-offers" });
    decision.offers.forEach(function (offer) { list.appendChild(self.renderOffer(offer)); });
    this.result.appendChild(list);
    this.chosenMessage = el("p", { className: "inst-chosen", role: "status" });
    this.result.appendChild(this.chosenMessage);
    return heading;
  };

  Widget.prototype.renderOffer = function (offer) {
    var self = this;
    var t = this.t;
    var values = { n: offer.tenor_months, monthly: this.money(offer.monthly_payment) };
    var rows = offer.schedule.map(function (row) {
      return el("tr", {}, [
        el("td", { text: String(row.number) }),
        el("td", { text: row.due_date }),
        el("td", { text: self.money(row.payment) }),
        el("td", { text: self.money(row.principal) }),
        el("td", { text: self.money(row.interest) }),
        el("td", { text: self.money(row.fee) })
      ]);
    });
    var head = el("tr", {}, [t.colNumber, t.colDue, t.colPayment, t.colPrincipal, t.colInterest, t.colFee].map(function (c) {
      return el("th", { scope: "col", text: c });
    }));
    var button = el("button", {
      type: "button", className: "inst-button inst-choose", "data-offer-id": offer.id,
      "aria-label": format(t.chooseLabel, values), text: t.choose
    });
    button.addEventListener("click", function () { self.choose(offer, button); });
    var apr = (Math.round(Number(offer.apr) * 10000) / 100).toFixed(2) + "%";
    return el("li", { className: "inst-offer", "data-offer-id": offer.id }, [
      el("p", { className: "inst-monthly" }, [
        el("span", { className: "inst-monthly-amount", text: this.money(offer.monthly_payment) }),
        el("span", { className: "inst-monthly-unit", text: " " + t.perMonth + " · " + format(t.months, values) })
      ]),
      el("p", { className: "inst-method", text: t.methods[offer.repayment_method] || offer.repayment_method }),
      el("dl", { className: "inst-terms" }, [
        el("dt", { text: t.apr }), el("dd", { className: "inst-apr", text: apr }),
        el("dt", { text: t.totalCost }), el("dd", { text: this.money(offer.total_cost) }),
        el("dt", { text: t.totalRepayable }), el("dd", { text: this.money(offer.total_repayable) })
      ]),
      el("details", { className: "inst-schedule" }, [
        el("summary", { text: t.schedule }),
        el("table", {}, [el("thead", {}, [head]), el("tbody", {}, rows)])
      ]),
      button
    ]);
  };

  Widget.prototype.choose = function (offer, button) {
    var self = this;
    var t = this.t;
    var box = this.boxes.credit_inquiry;
    if (!box.checked) {
      this.chosenMessage.textContent = t.needCreditInquiry;
      box.focus();
      return Promise.resolve(null);
    }
    var values = { n: offer.tenor_months, monthly: this.money(offer.monthly_payment), partner: this.partnerName };
    return this.recordTicked().then(function () {
      return self.call("POST", "/offers/" + encodeURIComponent(offer.id) + "/select", {});
    }).then(function (selection) {
      var buttons = self.result.querySelectorAll(".inst-choose");
      Array.prototype.forEach.call(buttons, function (b) {
        b.disabled = true;
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
      button.closest(".inst-offer").classList.add("inst-offer-selected");
      self.chosenMessage.textContent = format(t.chosen, values);
      var detail = {
        offerId: selection.offer_id,
        checkoutSessionId: selection.checkout_session_id,
        creditInquiryConsentId: selection.credit_inquiry_consent_id,
        offer: offer
      };
      self.emit("offer-selected", detail);
      if (typeof self.onOfferSelected === "function") self.onOfferSelected(selection.offer_id, detail);
      return detail;
    }).catch(function (error) {
      self.chosenMessage.textContent = error.status === 401 ? t.expired : (error.message || t.failed);
    });
  };

  Widget.prototype.renderDecline = function (decision) {
    var self = this;
    var t = this.t;
    var referred = decision.status === "referred";
    var heading = el("h3", { className: "inst-result-title", text: referred ? t.referredTitle : t.declinedTitle });
    var box = el("div", { className: "inst-decline" }, [heading]);
    if (referred) box.appendChild(el("p", { text: t.referredText }));
    var reasons = el("ul", { className: "inst-reasons" });
    decision.reasons.forEach(function (reason) {
      reasons.appendChild(el("li", { "data-code": reason.code, text: reason.message }));
    });
    if (decision.reasons.length) box.appendChild(reasons);
    var status = el("p", { className: "inst-review-status", role: "status" });
    if (decision.human_review.requested_at) {
      // Once a person has decided (or the review was withdrawn), say what came of it.
      status.textContent = decision.human_review.message || t.reviewRequested;
    } else if (decision.human_review.available) {
      var review = el("button", { type: "button", className: "inst-button inst-review", text: t.review });
      review.addEventListener("click", function () {
        review.disabled = true;
        self.call("POST", "/prequalification/human-review", { locale: self.locale }).then(function () {
          review.hidden = true;
          status.textContent = t.reviewRequested;
        }).catch(function (error) {
          review.disabled = false;
          status.textContent = error.status === 401 ? t.expired : t.failed;
        });
      });
      box.appendChild(review);
    }
    box.appendChild(status);
    this.result.appendChild(box);
    return heading;
  };

  function mount(element, options) {
    if (!element || !element.appendChild) throw new Error("Instalments.mount: give it an element");
    if (!options || !options.clientToken) throw new Error("Instalments.mount: clientToken is required");
    if (options.stylesheet !== false) ensureStylesheet(GATEWAY + "/widget/v1/instalments.css");
    var widget = new Widget(element, options);
    widget.ready = widget.start();
    return widget;
  }

  global.Instalments = { mount: mount, version: "1" };
})(window);
