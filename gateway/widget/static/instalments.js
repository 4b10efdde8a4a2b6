/*! Instalments checkout widget v1 (/widget/v1/instalments.js): plain JavaScript, no dependencies,
 * DOM from text only, no inline styles. Instalments.mount(element, options); see docs/widget.md. */
(global => {
"use strict";
var doc = global.document;
var script = doc.currentScript;
var GATEWAY = script && script.src ? new URL(script.src).origin : global.location.origin;
var PURPOSES = ["prequalification", "credit_inquiry", "marketing"];
var SETTLED = ["approved", "declined", "funded", "cancelled"];
var counter = 0;
var S = {
  en: {
    title: "Pay in instalments", orderTotal: "Order total", phone: "Mobile number",
    phoneHint: "11 digits. Only the bank sees it, not {partner}.",
    badPhone: "Enter an 11-digit mobile number, such as 139 1234 5678.",
    required: "Required", optional: "Optional", details: "Who processes your data, and how",
    facts: ["Controller", "Data", "How", "Kept for", "Shared with", "Withdrawing", "Your rights"],
    agree: {
      prequalification: "I agree that the bank checks whether I am pre-approved (required to continue)",
      credit_inquiry: "I authorise a credit bureau inquiry if I choose a plan (needed to choose one)",
      marketing: "The bank may send me offers (optional)"
    },
    agreed: "You agreed to: {list}", purposes: { prequalification: "pre-approval check", credit_inquiry: "credit inquiry", marketing: "offers" }, show: "Show", submit: "See my instalment plans", working: "Please wait…",
    needConsent: "Tick the first box to continue.",
    offersTitle: "Your instalment plans",
    partial: "The bank can lend {approved} of your {total} order: pay {upfront} now, the rest in instalments.",
    months: "{n} months", perMonth: "/month", free: "Interest-free", recommended: "Recommended",
    rules: { partner_default: "{partner} recommends it", longest_interest_free: "Longest interest-free plan", lowest_total_cost: "Lowest cost of credit" },
    falling: "First month {first}, falling to {last}",
    method: "Repayment method",
    methods: { equal_instalment: "Equal monthly payments", equal_principal: "Equal principal (falling payments)", fee_based: "Fixed monthly fee" },
    apr: "Annualised rate (APR)", totalCost: "Cost of credit", totalRepayable: "Total to repay",
    firstDue: "First payment due", lender: "Lender", tenor: "Months", monthly: "Monthly payment",
    schedule: "Repayment schedule", cols: ["#", "Due", "Payment", "Principal", "Interest", "Fee"],
    choose: "Choose {n} months",
    confirmTitle: "Confirm your plan", confirm: "Confirm and apply", back: "Back to the plans",
    needCreditInquiry: "To choose a plan, tick the credit inquiry box above.",
    chosenTitle: "Your plan: {n} months at {monthly}",
    app: {
      none: "{partner} is sending your application to the bank.",
      submitted: "The bank is checking your application.",
      approved: "The bank approved your application. {partner} will confirm your order.",
      funded: "Done: the bank has paid {partner}. Your order is confirmed.",
      declined: "The bank declined the loan at its final check: please pay another way.",
      cancelled: "The application was cancelled: please pay another way."
    },
    declinedTitle: "We can't offer instalments for this order",
    referredTitle: "The bank needs to look at your request",
    referredText: "Bank staff will review it and tell you the outcome within a working day. Or pay another way now.",
    review: "Request a human review", reviewRequested: "Review requested. The bank will tell you the outcome.",
    payOther: "Pay another way",
    expired: "This checkout has expired. Reload the page to start again.",
    busy: "Too many attempts. Wait a moment and try again.",
    gone: "This plan is no longer available. Reload the page for current plans.",
    failed: "Something went wrong. Please try again."
  },
  "zh-CN": {
    title: "分期付款", orderTotal: "订单金额", phone: "手机号码",
    phoneHint: "11 位手机号码。银行用于查询您的预审批结果，{partner}不会看到。",
    badPhone: "请输入 11 位手机号码，例如 139 1234 5678。",
    required: "必选", optional: "可选", details: "处理者及处理方式",
    facts: ["处理者", "数据", "方式", "保存期限", "接收方", "撤回", "您的权利"],
    agree: {
      prequalification: "我同意银行评估我是否符合预审批条件（继续所必需）",
      credit_inquiry: "我授权银行在我选择方案后查询征信（选择方案所必需）",
      marketing: "银行可以向我发送优惠信息（可选）"
    },
    agreed: "您已同意：{list}", purposes: { prequalification: "预审批评估", credit_inquiry: "征信查询", marketing: "优惠信息" }, show: "查看", submit: "查看我的分期方案", working: "请稍候…",
    needConsent: "请勾选第一项以继续。",
    offersTitle: "您的分期方案",
    partial: "订单金额 {total}，银行可分期 {approved}：现在支付 {upfront}，其余分期。",
    months: "{n} 期", perMonth: "/月", free: "免息", recommended: "推荐",
    rules: { partner_default: "{partner}推荐", longest_interest_free: "免息期数最长", lowest_total_cost: "信贷总成本最低" },
    falling: "首月 {first}，逐月递减至 {last}",
    method: "还款方式",
    methods: { equal_instalment: "等额本息", equal_principal: "等额本金（逐月递减）", fee_based: "按月固定费用" },
    apr: "年化利率", totalCost: "信贷总成本", totalRepayable: "应还总额",
    firstDue: "首期还款日", lender: "贷款机构", tenor: "期数", monthly: "每月还款",
    schedule: "还款计划", cols: ["期数", "还款日", "还款额", "本金", "利息", "费用"],
    choose: "选择 {n} 期",
    confirmTitle: "确认您的分期方案", confirm: "确认并申请", back: "返回方案列表",
    needCreditInquiry: "选择方案前，请勾选上方的征信查询授权。",
    chosenTitle: "您的方案：{n} 期，每月 {monthly}",
    app: {
      none: "{partner}正在将您的申请提交给银行。",
      submitted: "银行正在审核您的申请。",
      approved: "银行已批准您的申请，{partner}将确认您的订单。",
      funded: "已完成：银行已向{partner}付款，您的订单已确认。",
      declined: "很抱歉，银行在最终审核中未能批准本次贷款。订单尚未支付，请选择其他支付方式。",
      cancelled: "申请已取消，请选择其他支付方式。"
    },
    declinedTitle: "很抱歉，本订单暂无法提供分期",
    referredTitle: "银行需要进一步审核您的申请",
    referredText: "银行工作人员将进行审核并告知您结果，通常在 1 个工作日内。您也可以现在选择其他支付方式。",
    review: "申请人工复核", reviewRequested: "已申请人工复核，银行将告知您结果。",
    payOther: "使用其他方式支付",
    expired: "本次结账已过期，请刷新页面重新开始。",
    busy: "操作过于频繁，请稍后再试。",
    gone: "此方案已失效，请刷新页面查看最新方案。",
    failed: "出错了，请重试。"
  }
};

function format(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

// DOM from textContent only: nothing the gateway returns is parsed as HTML.
function el(tag, attrs, children) {
  var node = doc.createElement(tag);
  Object.keys(attrs || {}).forEach(name => {
    var value = attrs[name];
    if (value === false || value === null || value === undefined) return;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  });
  (children || []).forEach(child => {
    if (child) node.appendChild(typeof child === "string" ? doc.createTextNode(child) : child);
  });
  return node;
}
function tx(tag, className, text) { return el(tag, { className, text }); }
function pairs(className, rows) {
  var list = el("dl", { className });
  rows.forEach(row => { list.appendChild(el("dt", { text: row[0] })); list.appendChild(tx("dd", row[2], row[1])); });
  return list;
}
function button(text, className) { return tx("button", "inst-button " + (className || ""), text); }
function on(node, type, handler) { node.addEventListener(type, handler); return node; }
function pct(rate) { return (Math.round(Number(rate) * 10000) / 100).toFixed(2) + "%"; }

function claims(token) {
  var padded = (String(token).split(".")[1] || "").replace(/-/g, "+").replace(/_/g, "/");
  while (padded.length % 4) padded += "=";
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(global.atob(padded), c => c.charCodeAt(0))));
}

function Widget(element, options) {
  var locale = options.locale || (/^zh/i.test(global.navigator.language || "") ? "zh-CN" : "en");
  this.element = element;
  this.options = options;
  this.token = options.clientToken;
  this.sessionId = claims(this.token).sub;
  this.locale = S[locale] ? locale : "en";
  this.t = S[this.locale];
  this.uid = "inst" + ++counter;
}
var W = Widget.prototype;

W.emit = function (name, detail) {
  this.element.dispatchEvent(new CustomEvent("instalments:" + name, { bubbles: true, detail }));
};

W.call = function (method, path, body) {
  var init = { method, mode: "cors", credentials: "omit", headers: { Authorization: "Bearer " + this.token } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return global.fetch(GATEWAY + "/widget/v1/sessions/" + encodeURIComponent(this.sessionId) + path, init).then(response => {
    return response.json().catch(() => ({})).then(data => {
      if (response.ok) return data;
      var error = new Error(data.detail || response.statusText);
      error.status = response.status;
      error.problem = data;
      this.emit("error", { status: response.status, problem: data });
      throw error;
    });
  });
};

W.money = function (amount) {
  return new Intl.NumberFormat(this.locale, { style: "currency", currency: this.currency, currencyDisplay: "narrowSymbol" }).format(Number(amount));
};

W.explain = function (error) {
  var t = this.t;
  var status = error && error.status;
  if (status === 401) return t.expired;
  if (status === 429) return t.busy;
  return /^offer_(not_selectable|expired|void)$/.test((error && error.problem && error.problem.code) || "") ? t.gone : t.failed;
};

W.start = function () {
  this.element.classList.add("inst-root");
  // Back/forward restore the page from its cache: the server knows what happened since.
  on(global, "pageshow", event => { if (event.persisted) this.sync(); });
  return this.sync().then(() => { this.emit("ready", { checkoutSessionId: this.sessionId }); });
};

// (Re)draws from the server: the session knows its consents, decision and chosen offer.
W.sync = function () {
  return Promise.all([
    this.call("GET", ""),
    this.notices || this.call("GET", "/notices?locale=" + this.locale).then(n => n.data)
  ]).then(results => {
    this.state = results[0];
    this.currency = results[0].currency;
    this.partnerName = results[0].partner.name[this.locale] || results[0].partner.name.en;
    this.notices = results[1];
    this.render();
    if (!this.state.prequalification_id) return null;
    return this.call("GET", "/prequalification?locale=" + this.locale).then(d => { this.showDecision(d, false); });
  }).catch(error => { this.fail(error); });
};

W.render = function () {
  var t = this.t;
  var id = this.uid + "-phone";
  this.recorded = {};
  this.folded = this.busy = false;
  this.phone = el("input", { id, type: "tel", name: "phone", autocomplete: "tel", inputmode: "tel", required: true, className: "inst-input" });
  this.phoneError = el("p", { id: id + "-error", className: "inst-error", hidden: true });
  on(this.phone, "input", () => { this.fieldError(""); });
  this.boxes = {};
  this.message = el("p", { className: "inst-message", role: "alert" });
  this.submit = el("button", { type: "submit", className: "inst-button", disabled: true, text: t.submit });
  this.form = el("form", { className: "inst-consent", novalidate: true }, [
    el("div", { className: "inst-field" }, [
      el("label", { "for": id, text: t.phone }), this.phone,
      el("p", { id: id + "-hint", className: "inst-hint", text: format(t.phoneHint, { partner: this.partnerName }) }), this.phoneError
    ])
  ].concat(this.notices.map(notice => this.renderNotice(notice)), [this.message, this.submit]));
  this.fieldError("");
  on(this.form, "submit", event => { event.preventDefault(); this.requestOffers(); });
  on(this.form, "change", () => { this.refreshButton(); });
  this.consent = el("div", {}, [this.form]);
  this.result = tx("div", "inst-result");
  this.element.textContent = "";
  this.element.appendChild(el("section", { className: "inst-widget", lang: this.locale, "aria-labelledby": this.uid + "-title" }, [
    el("h2", { id: this.uid + "-title", className: "inst-title", text: t.title }),
    el("p", { className: "inst-amount" }, [t.orderTotal + " ", el("strong", { text: this.money(this.state.amount) }), " · " + this.partnerName]),
    this.consent,
    this.result
  ]));
};

W.renderNotice = function (notice) {
  var t = this.t;
  var id = this.uid + "-" + notice.purpose;
  var box = el("input", { id, type: "checkbox", name: "purpose", value: notice.purpose, className: "inst-checkbox", "aria-describedby": id + "-text" });
  if (this.state.consents[notice.purpose]) box.checked = box.disabled = this.recorded[notice.purpose] = true;
  this.boxes[notice.purpose] = box;
  var facts = [
    notice.controller.name + " (" + notice.controller.contact + ")", notice.data_categories.join(", "), notice.processing_method,
    notice.retention, notice.recipients.join(", "), notice.withdrawal, notice.rights
  ].map((value, index) => [t.facts[index], value]);
  return el("fieldset", { className: "inst-notice", "data-purpose": notice.purpose }, [
    el("legend", { className: "inst-notice-title" }, [
      notice.title + " ", tx("span", notice.required ? "inst-badge inst-badge-required" : "inst-badge", notice.required ? t.required : t.optional)
    ]),
    el("p", { id: id + "-text", className: "inst-notice-text", text: notice.text }),
    el("details", { className: "inst-details" }, [el("summary", { text: t.details }), pairs("inst-facts", facts)]),
    el("div", { className: "inst-check" }, [box, el("label", { "for": id, text: t.agree[notice.purpose] || notice.title })])
  ]);
};

W.show = function (text) { this.message.textContent = text || ""; };
W.refreshButton = function () { this.submit.disabled = !this.boxes.prequalification.checked || this.busy; };

W.fieldError = function (text) {
  var id = this.uid + "-phone";
  this.phoneError.textContent = text;
  this.phoneError.hidden = !text;
  this.phone.setAttribute("aria-invalid", text ? "true" : "false");
  this.phone.setAttribute("aria-describedby", id + "-hint" + (text ? " " + id + "-error" : ""));
};

// Once consent is given the notices fold into one line (each still openable).
W.fold = function () {
  if (this.folded) return;
  this.folded = true;
  this.submit.hidden = true;
  this.phone.readOnly = !!this.phoneValue;
  var given = PURPOSES.filter(p => this.boxes[p].checked).map(p => this.t.purposes[p]);
  var details = el("details", { className: "inst-folded" }, [
    el("summary", {}, [format(this.t.agreed, { list: given.join(this.locale === "en" ? ", " : "、") }) + " · ", tx("span", "inst-link", this.t.show)])
  ]);
  this.consent.appendChild(details);
  details.appendChild(this.form);
};

W.recordTicked = function () {
  var versions = {};
  this.notices.forEach(n => { versions[n.purpose] = n.version; });
  var grants = PURPOSES.filter(p => this.boxes[p] && this.boxes[p].checked && !this.recorded[p])
    .map(p => { return { purpose: p, notice_version: versions[p] }; });
  if (!grants.length) return Promise.resolve(null);
  return this.call("POST", "/consents", { phone: this.phoneValue, grants, locale: this.locale, page_url: global.location.href })
    .then(recorded => {
      recorded.consents.forEach(c => { this.recorded[c.purpose] = this.boxes[c.purpose].disabled = true; });
      this.phone.readOnly = true;
      return recorded;
    });
};

W.readPhone = function () {
  var phone = this.phone.value.replace(/[\s\-()]/g, "");
  if (/^(\+?86)?1[3-9]\d{9}$|^\+[1-9]\d{7,14}$/.test(phone)) return (this.phoneValue = phone);
  this.fieldError(this.t.badPhone);
  return this.phone.focus();
};

W.requestOffers = function () {
  var t = this.t;
  // The guard that matters: no consent, no request.
  if (!this.boxes.prequalification.checked) return this.show(t.needConsent);
  if (!this.state.customer_bound && !this.readPhone()) return null;
  this.show("");
  this.busy = true;
  this.submit.textContent = t.working;
  this.refreshButton();
  return this.recordTicked().then(() => {
    try { var s = localStorage, k = "instalments.device", d = s[k] || (s[k] = crypto.randomUUID()); } catch {}
    return this.call("POST", "/prequalification", { locale: this.locale, device_fingerprint: d });
  }).then(decision => {
    this.busy = false;
    this.state.prequalification_id = decision.id;
    this.showDecision(decision, true);
  }).catch(error => {
    this.busy = false;
    this.submit.textContent = t.submit;
    this.refreshButton();
    if (((error.problem && error.problem.errors) || []).some(e => e.field === "phone")) {
      this.fieldError(t.badPhone);
      this.phone.focus();
    } else {
      this.fail(error);
    }
  });
};

W.fail = function (error) {
  if (!this.message) this.element.appendChild(this.message = el("p", { className: "inst-message", role: "alert" }));
  this.show(this.explain(error));
};

W.heading = function (text, tag) {
  var heading = el(tag || "h3", { className: "inst-result-title", tabindex: "-1", text });
  this.result.appendChild(heading);
  return heading;
};

W.showDecision = function (decision, focus) {
  this.decision = decision;
  this.offers = {};
  decision.offers.forEach(o => { this.offers[o.id] = o; });
  this.fold();
  this.result.textContent = "";
  var chosen = this.offers[this.state.selected_offer_id];
  var heading = chosen ? this.renderChosen(chosen)
    : /approved$/.test(decision.status) ? this.renderOffers(decision) : this.renderDecline(decision);
  this.emit("decision", { status: decision.status, prequalificationId: decision.id });
  if (focus) heading.focus();
};

W.renderOffers = function (decision) {
  var t = this.t;
  var heading = this.heading(t.offersTitle);
  if (decision.status === "partially_approved") {
    this.result.appendChild(tx("p", "inst-note", format(t.partial, {
      approved: this.money(decision.approved_amount), upfront: this.money(decision.upfront_payment), total: this.money(decision.requested_amount)
    })));
  }
  this.list = el("ul", { className: "inst-offers", "aria-labelledby": this.uid + "-title" });
  (decision.plans || []).forEach(plan => {
    var offers = plan.offer_ids.map(id => this.offers[id]).filter(o => o && o.status === "open");
    if (offers.length) this.list.appendChild(this.renderPlan(plan, offers, decision.recommendation_rule));
  });
  if (!this.list.firstChild) {
    this.result.appendChild(el("p", { className: "inst-note", role: "status", text: t.gone }));
    return heading;
  }
  this.choiceMessage = el("p", { className: "inst-message", role: "alert" });
  this.panel = el("div", { className: "inst-confirm", hidden: true });
  [this.list, this.choiceMessage, this.panel].forEach(n => { this.result.appendChild(n); });
  this.reportDisplayed();
  return heading;
};

// offer_displayed, once, when the plans are on screen.
W.reportDisplayed = function () {
  var ids = [...this.list.children].map(card => card.dataset.offerId);
  var report = () => {
    if (this.displayed) return;
    this.displayed = true;
    this.call("POST", "/events/offer-displayed", { offer_ids: ids }).catch(() => { this.displayed = false; });
  }
  var observer = new global.IntersectionObserver(entries => {
    if (entries.some(e => e.isIntersecting)) { observer.disconnect(); report(); }
  });
  observer.observe(this.list);
};

W.renderPlan = function (plan, offers, rule) {
  var t = this.t;
  var id = this.uid + "-plan-" + plan.tenor_months;
  var card = el("li", { className: "inst-plan" + (plan.recommended ? " inst-plan-recommended" : "") });
  var badges = tx("p", "inst-badges");
  var body = el("div");
  var choose = button(format(t.choose, { n: plan.tenor_months }), "inst-choose");
  var show = (offer) => {
    card.setAttribute("data-offer-id", offer.id);
    body.textContent = "";
    body.appendChild(this.renderTerms(offer));
  }
  if (plan.interest_free) badges.appendChild(tx("span", "inst-badge inst-badge-free", t.free));
  if (plan.recommended) badges.appendChild(tx("span", "inst-badge inst-badge-recommended", t.recommended));
  card.appendChild(el("h4", { id, className: "inst-plan-title" }, [format(t.months, { n: plan.tenor_months }), badges.firstChild ? badges : null]));
  if (plan.recommended && t.rules[rule]) card.appendChild(tx("p", "inst-rule", format(t.rules[rule], { partner: this.partnerName })));
  if (offers.length > 1) {
    var methods = el("fieldset", { className: "inst-methods" }, [el("legend", { text: t.method })]);
    offers.forEach((offer, index) => {
      var radio = el("input", { type: "radio", id: id + "-" + index, name: id, value: offer.id, className: "inst-radio" });
      radio.checked = !index;
      on(radio, "change", () => { if (radio.checked) show(offer); });
      methods.appendChild(el("div", { className: "inst-check" }, [
        radio, el("label", { "for": id + "-" + index, text: t.methods[offer.repayment_method] + " · " + this.money(offer.monthly_payment) })
      ]));
    });
    card.appendChild(methods);
  }
  card.appendChild(body);
  card.appendChild(choose);
  show(offers[0]);
  on(choose, "click", () => { this.review(this.offers[card.dataset.offerId], choose); });
  return card;
};

W.falling = function (offer) {
  var first = offer.schedule[0];
  var last = offer.schedule[offer.schedule.length - 1];
  return offer.repayment_method === "equal_principal" && first.payment !== last.payment
    ? format(this.t.falling, { first: this.money(first.payment), last: this.money(last.payment) }) : "";
};

W.renderTerms = function (offer) {
  var t = this.t;
  var falling = this.falling(offer);
  var rows = offer.schedule.map(row => el("tr", {}, [String(row.number), row.due_date, row.payment, row.principal, row.interest, row.fee]
    .map((cell, index) => el("td", { text: index > 1 ? this.money(cell) : cell }))));
  return el("div", {}, [
    el("p", { className: "inst-monthly" }, [tx("span", "inst-monthly-amount", this.money(offer.monthly_payment)), tx("span", "inst-monthly-unit", t.perMonth)]),
    falling ? tx("p", "inst-falling", falling) : null,
    pairs("inst-terms", [[t.apr, pct(offer.apr), "inst-apr"], [t.totalCost, this.money(offer.total_cost)], [t.totalRepayable, this.money(offer.total_repayable)]]),
    el("details", { className: "inst-schedule" }, [
      el("summary", { text: t.schedule }),
      el("div", { className: "inst-table" }, [el("table", {}, [
        el("thead", {}, [el("tr", {}, t.cols.map(c => el("th", { scope: "col", text: c })))]),
        el("tbody", {}, rows)
      ])])
    ])
  ]);
};

W.summary = function (offer) {
  var t = this.t;
  return pairs("inst-terms inst-summary", [
    [t.monthly, this.falling(offer) || this.money(offer.monthly_payment)], [t.method, t.methods[offer.repayment_method]], [t.tenor, format(t.months, { n: offer.tenor_months })],
    [t.apr, pct(offer.apr)], [t.totalRepayable, this.money(offer.total_repayable)],
    [t.firstDue, offer.schedule[0].due_date], [t.lender, this.notices[0].controller.name]
  ]);
};

// Choosing, step one: the plan's summary with confirm and back. Nothing is sent yet.
W.review = function (offer, choose) {
  var t = this.t;
  var panel = this.panel;
  if (this.busy || !offer) return;
  this.choiceMessage.textContent = "";
  var folded = this.consent.querySelector(".inst-folded");
  if (!this.boxes.credit_inquiry.checked) {
    this.choiceMessage.textContent = t.needCreditInquiry;
    folded.open = true;
    return this.boxes.credit_inquiry.focus();
  }
  // After a reload the number is asked again to record the credit inquiry consent.
  if (!this.recorded.credit_inquiry && !this.phoneValue && !(folded.open = true, this.readPhone())) return;
  panel.textContent = "";
  var heading = this.heading(t.confirmTitle, "h4");
  var confirm = button(t.confirm, "inst-confirm-button");
  var back = button(t.back, "inst-secondary");
  this.confirmMessage = el("p", { className: "inst-message", role: "alert" });
  [heading, this.summary(offer), this.confirmMessage, el("div", { className: "inst-actions" }, [confirm, back])].forEach(n => { panel.appendChild(n); });
  panel.setAttribute("data-offer-id", offer.id);
  on(back, "click", () => {
    if (this.busy) return;
    panel.hidden = !(this.list.hidden = false);
    choose.focus();
  });
  on(confirm, "click", () => { this.select(offer, confirm, back); });
  this.list.hidden = !(panel.hidden = false);
  heading.focus();
};

// Choosing, step two: one choice in flight; the page then shows what the server recorded.
W.select = function (offer, confirm, back) {
  var t = this.t;
  if (this.busy) return null;
  this.setBusy(true, confirm, back);
  confirm.textContent = t.working;
  return this.recordTicked().then(() => {
    return this.call("POST", "/offers/" + encodeURIComponent(offer.id) + "/select", {});
  }).then(selection => {
    var chosen = this.offers[selection.offer_id];
    var detail = {
      offerId: selection.offer_id, checkoutSessionId: selection.checkout_session_id,
      creditInquiryConsentId: selection.credit_inquiry_consent_id, offer: chosen
    };
    this.busy = false;
    this.state.selected_offer_id = selection.offer_id;
    this.result.textContent = "";
    this.renderChosen(chosen).focus();
    this.emit("offer-selected", detail);
    if (typeof this.options.onOfferSelected === "function") this.options.onOfferSelected(selection.offer_id, detail);
    return detail;
  }).catch(error => {
    if (error.problem && error.problem.code === "offer_already_selected") return this.sync();
    this.setBusy(false, confirm, back);
    confirm.textContent = t.confirm;
    this.confirmMessage.textContent = this.explain(error);
    return null;
  });
};

W.setBusy = function (busy, confirm, back) {
  this.busy = confirm.disabled = back.disabled = busy;
  this.result.querySelectorAll(".inst-choose, .inst-radio").forEach(node => { node.disabled = busy; });
};

W.renderChosen = function (offer) {
  var heading = this.heading(format(this.t.chosenTitle, { n: offer.tenor_months, monthly: this.money(offer.monthly_payment) }));
  this.appStatus = el("p", { className: "inst-app-status", role: "status" });
  this.result.appendChild(el("div", { className: "inst-chosen", "data-offer-id": offer.id }, [this.summary(offer), this.appStatus]));
  this.showApplication(this.state.application_status);
  return heading;
};

// The application's progress, read from the session until the bank has settled it.
W.showApplication = function (status) {
  var text = this.t.app[status === "under_review" ? "submitted" : status || "none"] || this.t.app.none;
  var box = this.appStatus.parentNode;
  this.appStatus.textContent = format(text, { partner: this.partnerName });
  box.setAttribute("data-application-status", status || "");
  if (status && status !== this.reported) this.emit("application", { status: (this.reported = status) });
  if (/declined|cancelled/.test(status) && !box.querySelector(".inst-pay-other")) box.appendChild(this.payOther());
  if (SETTLED.indexOf(status) !== -1 || this.polling || (this.polls = (this.polls || 0) + 1) > 120) return;
  this.polling = true;
  global.setTimeout(() => {
    this.call("GET", "").then(state => {
      this.polling = false;
      this.state.application_status = state.application_status;
      if (this.appStatus.isConnected) this.showApplication(state.application_status);
    }).catch(() => { this.polling = false; });
  }, 2500);
};

W.payOther = function () {
  return on(button(this.t.payOther, "inst-secondary inst-pay-other"), "click", () => {
    this.emit("pay-another-way", { checkoutSessionId: this.sessionId });
    if (typeof this.options.onPayAnotherWay === "function") this.options.onPayAnotherWay();
  });
};

W.renderDecline = function (decision) {
  var t = this.t;
  var referred = decision.status === "referred";
  var heading = this.heading(referred ? t.referredTitle : t.declinedTitle);
  var box = el("div", { className: "inst-decline", "data-status": decision.status }, [heading]);
  var reasons = tx("ul", "inst-reasons");
  var status = el("p", { className: "inst-review-status", role: "status" });
  var actions = tx("div", "inst-actions");
  decision.reasons.forEach(reason => { reasons.appendChild(el("li", { "data-code": reason.code, text: reason.message })); });
  if (referred) box.appendChild(el("p", { text: t.referredText }));
  else if (reasons.firstChild) box.appendChild(reasons);
  if (decision.human_review.requested_at) {
    // Once a person has decided (or the review was withdrawn), say what came of it.
    status.textContent = decision.human_review.message || t.reviewRequested;
  } else if (decision.human_review.available && !referred) {
    var review = on(button(t.review, "inst-review"), "click", () => {
      review.disabled = true;
      this.call("POST", "/prequalification/human-review", { locale: this.locale }).then(() => {
        review.hidden = true;
        status.textContent = t.reviewRequested;
      }).catch(error => {
        review.disabled = false;
        status.textContent = this.explain(error);
      });
    });
    actions.appendChild(review);
  }
  actions.appendChild(this.payOther());
  [actions, status].forEach(n => { box.appendChild(n); });
  this.result.appendChild(box);
  return heading;
};

function mount(element, options) {
  if (!element || !options || !options.clientToken) throw new Error("Instalments.mount(element, {clientToken})");
  if (options.stylesheet !== false && !doc.querySelector("link[data-instalments]")) {
    doc.head.appendChild(el("link", { rel: "stylesheet", href: GATEWAY + "/widget/v1/instalments.css", "data-instalments": "" }));
  }
  var widget = new Widget(element, options);
  widget.ready = widget.start();
  return widget;
}

global.Instalments = { mount, version: "1" };
})(window);
