/*
 * ledger consortium bank: the control panel ("Painel de Controle").
 *
 * Plain ES2020, no build step, no framework, no inline code: the page is served under a strict
 * Content-Security-Policy (script-src 'self'; style-src 'self'), so this file adds every handler with
 * addEventListener and never writes style attributes; it shows and hides things with the `hidden` attribute
 * and CSS classes. Server data is put into the page with textContent only, never as HTML.
 *
 * ---------------------------------------------------------------------------------------------------------
 * STABLE HOOKS FOR BROWSER TESTS: every element a test may use has a data-test attribute.
 * Messages have role="alert", are empty when there is nothing to say, and carry data-kind="ok|error" while
 * they show something (the attribute is removed when they are cleared).
 *
 * Always in the page
 *   loading            "Loading…" shown until GET /api/bank and GET /api/session have answered (then hidden)
 *   bank-name          header: this bank's name, as GET /api/bank gives it (e.g. "alpha")
 *   whoami             header: the logged-in tax id, formatted "529.982.247-25" (empty when logged out)
 *   logout             header: the Log out button (its container is hidden when logged out)
 *
 * Welcome view (data-test="auth-view", hidden when logged in)
 *   consortium         the consortium's bank names, "alpha · beta · gamma"
 *   auth-message       outcome of register / log in / log out / session expiry (data-kind ok|error)
 *   login-form         the form: login-taxid, login-password, login-submit
 *   register-form      the form: register-taxid, register-password, register-submit
 *
 * Panel view (data-test="panel-view", hidden when logged out)
 *   refresh            button: reload the accounts (disabled while they load)
 *   accounts           container of the bank cards; data-loading="true" while GET /api/accounts runs, "false"
 *                      once it has answered (a test can wait for data-loading="false" after an operation: every
 *                      operation that reached the server starts a refresh before its message is shown)
 *   accounts-message   error loading the accounts (data-kind="error")
 *   updated            "Updated at 14:03:22"
 *   total              sum of the balances at reachable banks, formatted money; data-cents = the integer
 *   bank-card          one per bank of the consortium, this bank first: data-bank="<name>",
 *                      data-status="ok|unreachable", data-here="true|false" (true for the bank serving the page)
 *     bank-error       inside an unreachable card: the server's message ("bank beta unreachable: ...")
 *     no-accounts      inside an ok card with no account of yours: "No accounts at beta."
 *     account          one per account: data-address="bank/account", data-bank, data-account,
 *                      data-type="individual|joint|business"
 *       account-type   "Individual" | "Joint" | "Business"
 *       owners         the owners' formatted tax ids, ", " separated; the logged-in one followed by " (you)"
 *       balance        formatted money "R$ 1.234,56"; data-cents="123456"
 *       available      only when available != balance: formatted money; data-cents
 *       held           only when available != balance: balance - available, formatted money; data-cents
 *
 *   open-form          Open an account here: open-account (id input), open-type (select: individual|joint|
 *                      business), open-coowners (text input), open-submit, open-message
 *   move-form          Deposit / withdraw at this bank: move-account (select; option values are account ids at
 *                      this bank; one disabled option with value "" when there are none), move-amount,
 *                      deposit-submit, withdraw-submit, move-message
 *   transfer-form      Transfer:
 *     sources          container of the source rows
 *     source           checkbox, one per account at a reachable bank: data-address="bank/account"
 *     source-amount    amount input beside it: data-address="bank/account" (typing an amount ticks the box)
 *     transfer-total   sum of the ticked amounts, formatted money (data-cents), or "—"
 *     dest-taxid       recipient's tax id input (Enter searches, it does not send)
 *     dest-search      Search button: GET /api/owners/{taxId}/accounts
 *     dest-self        "My own accounts" button: searches the logged-in tax id
 *     dest-message     outcome of the search (data-kind ok|error)
 *     dest-results     container of the found accounts, grouped per bank
 *       dest-bank      one group per bank: data-bank, data-status="ok|unreachable"
 *       dest           radio, one per account found at a reachable bank: data-address="bank/account"
 *     transfer-submit  Send button
 *     transfer-message outcome: data-kind="ok" with data-tx="<txId>" on success, data-kind="error" otherwise
 *       transfer-txid  inside a success message: the transaction id
 * ---------------------------------------------------------------------------------------------------------
 *
 * Money: the API carries amounts as JSON integers of centavos. JavaScript numbers are exact only up to
 * Number.MAX_SAFE_INTEGER (2^53 - 1 = 9,007,199,254,740,991 centavos, about R$ 90 trillion), while the server
 * accepts up to 2^63 - 1. So this panel refuses to *send* an amount above 2^53 - 1 centavos (with a message),
 * and *displays* balances from the parsed JSON Number: exact up to 2^53 - 1, rounded beyond that (JSON.parse
 * has already rounded them before any code here sees them). Parsing and formatting themselves use string and
 * BigInt arithmetic, never floating point.
 */
'use strict';

(() => {
  /**
   * Whether tax ids must pass the CPF check digits before the panel sends them. The server validates anyway;
   * set to false if the server accepts any 11 digits and owners with such ids must be able to use the panel.
   */
  const CHECK_CPF_DIGITS = true;
  const PASSWORD_MIN = 8;
  const PASSWORD_MAX = 128;
  const ACCOUNT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
  const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER); // "9007199254740991"
  const TYPE_LABELS = { individual: 'Individual', joint: 'Joint', business: 'Business' };

  // ------------------------------------------------------------------------------------------------------
  // Money
  // ------------------------------------------------------------------------------------------------------

  const AMOUNT_FORMAT_ERROR = 'Enter an amount like 1.234,56 or 1234,56.';

  /**
   * Reads an amount typed by a user, in reais, into an integer of centavos, by string arithmetic.
   * "," is the decimal separator, and "." separates thousands when a "," is present; without a ",", a single
   * "." followed by 1 or 2 digits at the end is a decimal point. Anything else is refused.
   *
   * @param {string} input what the user typed ("R$ " in front is allowed)
   * @returns {{cents: number} | {error: string}}
   */
  function parseMoney(input) {
    let s = String(input ?? '').trim().replace(/^R\$\s*/i, '');
    if (s === '') {
      return { error: 'Enter an amount.' };
    }
    if (/^[-\u2212]/.test(s)) {
      return { error: 'The amount must be positive.' };
    }
    let intPart;
    let frac;
    let m;
    if (s.includes(',')) {
      m = /^(\d+|\d{1,3}(?:\.\d{3})+),(\d+)$/.exec(s);
      if (!m) {
        return { error: AMOUNT_FORMAT_ERROR };
      }
      intPart = m[1].replace(/\./g, '');
      frac = m[2];
    } else if ((m = /^(\d+)$/.exec(s))) {
      intPart = m[1];
      frac = '';
    } else if ((m = /^(\d+)\.(\d{1,2})$/.exec(s))) {
      intPart = m[1];
      frac = m[2];
    } else if (/^\d+\.\d{3}$/.test(s)) {
      return { error: `“${s}” is ambiguous: write ${s.replace('.', '')} or ${s},00 for thousands, `
          + 'or use “,” for centavos.' };
    } else if (/^\d+\.\d{3,}$/.test(s)) {
      return { error: 'At most two decimal places (centavos).' };
    } else {
      return { error: AMOUNT_FORMAT_ERROR };
    }
    if (frac.length > 2) {
      return { error: 'At most two decimal places (centavos).' };
    }
    const digits = (intPart + frac.padEnd(2, '0')).replace(/^0+/, '');
    if (digits === '') {
      return { error: 'The amount must be more than zero.' };
    }
    if (digits.length > MAX_SAFE_DIGITS.length
        || (digits.length === MAX_SAFE_DIGITS.length && digits > MAX_SAFE_DIGITS)) {
      return { error: `That amount is too large for this panel: at most ${formatMoney(Number.MAX_SAFE_INTEGER)}.` };
    }
    return { cents: Number(digits) };
  }

  /** {@return the integer as a decimal string, or null if it is not an integer} */
  function integerText(value) {
    if (typeof value === 'bigint') {
      return value.toString();
    }
    if (typeof value === 'number' && Number.isInteger(value)) {
      return BigInt(value).toString(); // exact digits of the double, no exponent notation
    }
    if (typeof value === 'string' && /^-?\d+$/.test(value)) {
      return value;
    }
    return null;
  }

  /**
   * Formats an integer of centavos Brazilian style, "R$ 1.234,56", by string arithmetic.
   *
   * @param {number|bigint|string} value centavos
   * @returns {string}
   */
  function formatMoney(value) {
    let s = integerText(value);
    if (s === null) {
      return '—';
    }
    const negative = s.startsWith('-');
    if (negative) {
      s = s.slice(1);
    }
    s = s.padStart(3, '0');
    const reais = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    return `${negative ? '-' : ''}R$ ${reais},${s.slice(-2)}`;
  }

  /** Sets a money element's text and its data-cents. */
  function setMoney(element, value) {
    element.textContent = formatMoney(value);
    const text = integerText(value);
    if (text === null) {
      delete element.dataset.cents;
    } else {
      element.dataset.cents = text;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Tax ids (CPF)
  // ------------------------------------------------------------------------------------------------------

  /** {@return whether 11 digits pass the CPF check digits and are not all the same} */
  function cpfValid(d) {
    if (!/^\d{11}$/.test(d) || /^(\d)\1{10}$/.test(d)) {
      return false;
    }
    const n = Array.from(d, Number);
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      sum += n[i] * (10 - i);
    }
    if ((sum * 10) % 11 % 10 !== n[9]) {
      return false;
    }
    sum = 0;
    for (let i = 0; i < 10; i++) {
      sum += n[i] * (11 - i);
    }
    return (sum * 10) % 11 % 10 === n[10];
  }

  /**
   * Reads a tax id typed with or without punctuation ("529.982.247-25" or "52998224725").
   *
   * @returns {{taxId: string} | {error: string}} the 11 digits, or why not
   */
  function parseTaxId(input) {
    const raw = String(input ?? '').trim();
    if (raw === '') {
      return { error: 'Enter a tax id (CPF).' };
    }
    if (!/^[\d.\-\s/]+$/.test(raw)) {
      return { error: `“${shorten(raw)}” is not a tax id: a CPF has 11 digits, like 529.982.247-25.` };
    }
    const digits = raw.replace(/\D/g, '');
    if (digits.length !== 11) {
      return { error: `A tax id (CPF) has 11 digits; “${shorten(raw)}” has ${digits.length}.` };
    }
    if (CHECK_CPF_DIGITS && !cpfValid(digits)) {
      return { error: `${formatTaxId(digits)} is not a valid CPF: check the digits.` };
    }
    return { taxId: digits };
  }

  /** {@return "529.982.247-25" for "52998224725"; anything else unchanged} */
  function formatTaxId(taxId) {
    const s = String(taxId ?? '');
    return /^\d{11}$/.test(s) ? `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}` : s;
  }

  function shorten(text) {
    return text.length > 24 ? `${text.slice(0, 24)}…` : text;
  }

  // ------------------------------------------------------------------------------------------------------
  // The API
  // ------------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  /** Thrown after a 401 on a call that needs a session: the panel has already gone back to the login view. */
  class SessionExpired extends Error {
  }

  /**
   * Calls the API.
   *
   * @param {string} method
   * @param {string} path
   * @param {object} [body] sent as JSON, with Content-Type: application/json
   * @param {{sessionCall?: boolean}} [options] sessionCall: a 401 is an ordinary answer (login, session check,
   *     logout), not an expired session
   * @returns {Promise<any>} the parsed JSON body, or null for an empty one
   */
  async function api(method, path, body, options = {}) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'network', 'Could not reach the bank’s server. Check the connection and try again.');
    }
    let data = null;
    if (response.status !== 204) {
      const text = await response.text().catch(() => '');
      if (text !== '') {
        try {
          data = JSON.parse(text);
        } catch (e) {
          data = null;
        }
      }
    }
    if (response.ok) {
      return data;
    }
    const code = data && typeof data.error === 'string' ? data.error : `http_${response.status}`;
    const message = data && typeof data.message === 'string' && data.message !== ''
      ? data.message
      : `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
    const error = new ApiError(response.status, code, message, response.headers.get('Retry-After'));
    if (response.status === 401 && !options.sessionCall) {
      sessionExpired();
      throw new SessionExpired(message);
    }
    throw error;
  }

  /** {@return the text to show for a failed call} */
  function describe(error) {
    if (error instanceof ApiError) {
      let text = error.message;
      if (error.status === 429 && error.retryAfter && /^\d+$/.test(error.retryAfter)) {
        const seconds = Number(error.retryAfter);
        text += /[.!?]$/.test(text) ? '' : '.';
        text += ` Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
      }
      return text;
    }
    console.error(error);
    return 'Something went wrong in this page. Reload it and try again.';
  }

  // ------------------------------------------------------------------------------------------------------
  // Page helpers
  // ------------------------------------------------------------------------------------------------------

  const hook = (name, root = document) => root.querySelector(`[data-test="${name}"]`);
  const hooks = (name, root = document) => Array.from(root.querySelectorAll(`[data-test="${name}"]`));

  /** Creates an element: el('span', {class: 'x', dataset: {test: 'y'}, text: 'z'}, child, ...). */
  function el(tag, props = {}, ...children) {
    const e = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (key === 'class') {
        e.className = value;
      } else if (key === 'text') {
        e.textContent = value;
      } else if (key === 'dataset') {
        Object.assign(e.dataset, value);
      } else if (key in e && typeof value !== 'string') {
        e[key] = value;
      } else {
        e.setAttribute(key, value === true ? '' : value);
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== false) {
        e.append(child);
      }
    }
    return e;
  }

  /** The outcomes of the operations: a new one makes the others out of date (their balances have moved). */
  const OPERATION_MESSAGES = ['move-message', 'open-message', 'transfer-message'];

  /** Shows a message (kind "ok" or "error"); content is a string or nodes. */
  function say(name, kind, ...content) {
    if (OPERATION_MESSAGES.includes(name)) {
      OPERATION_MESSAGES.filter((other) => other !== name).forEach(clearMessage);
    }
    const m = hook(name);
    m.replaceChildren(...content);
    m.dataset.kind = kind;
  }

  function clearMessage(name) {
    const m = hook(name);
    m.replaceChildren();
    delete m.dataset.kind;
    delete m.dataset.tx;
  }

  /** Shows an error for a form and marks the input at fault, if any. */
  function fail(name, text, input) {
    say(name, 'error', text);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }

  /** Clears the invalid marks of a form's inputs. */
  function clearInvalid(form) {
    form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  }

  /**
   * Runs an action with some buttons disabled (and the clicked one showing a spinner), then puts them back
   * as they were.
   */
  async function busy(buttons, pressed, action) {
    const before = buttons.map((b) => b.disabled);
    buttons.forEach((b) => { b.disabled = true; });
    if (pressed) {
      pressed.classList.add('is-busy');
      pressed.setAttribute('aria-busy', 'true');
    }
    try {
      return await action();
    } finally {
      buttons.forEach((b, i) => { b.disabled = before[i]; });
      if (pressed) {
        pressed.classList.remove('is-busy');
        pressed.removeAttribute('aria-busy');
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // State and elements
  // ------------------------------------------------------------------------------------------------------

  const state = {
    bank: null, // this bank's name
    banks: [], // the consortium's bank names
    taxId: null, // the logged-in owner, or null
    bankAccounts: [], // the last GET /api/accounts banks, this bank first
    refreshSeq: 0,
    preferMove: null, // account id to select in the deposit form after the next refresh
  };

  const ui = {};

  function bindElements() {
    for (const name of ['loading', 'auth-view', 'panel-view', 'bank-name', 'whoami', 'logout', 'consortium',
      'login-form', 'login-taxid', 'login-password', 'login-submit',
      'register-form', 'register-taxid', 'register-password', 'register-submit',
      'refresh', 'accounts', 'updated', 'total',
      'open-form', 'open-account', 'open-type', 'open-coowners', 'open-submit',
      'move-form', 'move-account', 'move-amount', 'deposit-submit', 'withdraw-submit',
      'transfer-form', 'sources', 'transfer-total', 'dest-taxid', 'dest-search', 'dest-self', 'dest-results',
      'transfer-submit']) {
      ui[name] = hook(name);
    }
    ui.sessionBox = document.getElementById('session-box');
    ui.welcomeBank = document.getElementById('welcome-bank');
  }

  // ------------------------------------------------------------------------------------------------------
  // Views
  // ------------------------------------------------------------------------------------------------------

  function showAuth() {
    ui.loading.hidden = true;
    ui['panel-view'].hidden = true;
    ui['auth-view'].hidden = false;
    ui.sessionBox.hidden = true;
    ui.whoami.textContent = '';
  }

  function showPanel() {
    ui.loading.hidden = true;
    ui['auth-view'].hidden = true;
    ui['panel-view'].hidden = false;
    ui.sessionBox.hidden = false;
    ui.whoami.textContent = formatTaxId(state.taxId);
  }

  /** Forgets everything about the owner who was logged in. */
  function resetPanel() {
    state.taxId = null;
    state.bankAccounts = [];
    state.refreshSeq++;
    state.preferMove = null;
    ui.accounts.replaceChildren();
    ui.accounts.dataset.loading = 'false';
    ui.accounts.removeAttribute('aria-busy');
    ui.updated.textContent = '';
    setMoney(ui.total, null);
    ui.sources.replaceChildren();
    ui['dest-results'].replaceChildren();
    for (const form of [ui['open-form'], ui['move-form'], ui['transfer-form']]) {
      form.reset();
      clearInvalid(form);
    }
    for (const name of ['accounts-message', 'open-message', 'move-message', 'dest-message', 'transfer-message']) {
      clearMessage(name);
    }
    updateTransferTotal();
  }

  function sessionExpired() {
    if (state.taxId === null && !ui['auth-view'].hidden) {
      return;
    }
    resetPanel();
    showAuth();
    say('auth-message', 'error', 'Your session has expired. Please log in again.');
    ui['login-taxid'].focus();
  }

  async function enterPanel(taxId) {
    state.taxId = taxId;
    showPanel();
    window.scrollTo(0, 0);
    document.getElementById('main').focus({ preventScroll: true });
    await refreshAccounts();
  }

  // ------------------------------------------------------------------------------------------------------
  // Accounts
  // ------------------------------------------------------------------------------------------------------

  /** Puts this bank first, the others in consortium order. */
  function orderBanks(banks) {
    const list = Array.isArray(banks) ? banks.filter((b) => b && typeof b.bank === 'string') : [];
    const here = list.filter((b) => b.bank === state.bank);
    return here.concat(list.filter((b) => b.bank !== state.bank));
  }

  function reachableAccounts() {
    const out = [];
    for (const b of state.bankAccounts) {
      if (b.status === 'ok' && Array.isArray(b.accounts)) {
        out.push(...b.accounts);
      }
    }
    return out;
  }

  function addressOf(a) {
    return a.address || `${a.bank}/${a.account}`;
  }

  async function refreshAccounts() {
    const seq = ++state.refreshSeq;
    ui.accounts.dataset.loading = 'true';
    ui.accounts.setAttribute('aria-busy', 'true');
    ui.refresh.disabled = true;
    try {
      const data = await api('GET', '/api/accounts');
      if (seq !== state.refreshSeq) {
        return;
      }
      state.bankAccounts = orderBanks(data && data.banks);
      renderAccounts();
      renderMoveSelect();
      renderSources();
      clearMessage('accounts-message');
      ui.updated.textContent = `Updated at ${new Date().toLocaleTimeString('en-GB')}.`;
    } catch (e) {
      if (!(e instanceof SessionExpired) && seq === state.refreshSeq) {
        say('accounts-message', 'error', `Could not load your accounts: ${describe(e)}`);
      }
    } finally {
      if (seq === state.refreshSeq) {
        ui.accounts.dataset.loading = 'false';
        ui.accounts.removeAttribute('aria-busy');
        ui.refresh.disabled = false;
      }
    }
  }

  function renderAccounts() {
    const cards = [];
    let total = 0n;
    let anyReachable = false;
    for (const b of state.bankAccounts) {
      const here = b.bank === state.bank;
      const ok = b.status === 'ok';
      const card = el('article', {
        class: `card bank-card${ok ? '' : ' is-unreachable'}${here ? ' is-here' : ''}`,
        dataset: { test: 'bank-card', bank: b.bank, status: ok ? 'ok' : 'unreachable', here: String(here) },
        'aria-label': `Bank ${b.bank}`,
      });
      const head = el('header', { class: 'bank-card-head' },
        el('span', { class: 'bank-mark', 'aria-hidden': 'true', text: b.bank.slice(0, 1).toUpperCase() }),
        el('h2', { class: 'bank-card-name', text: b.bank }),
        here ? el('span', { class: 'badge badge-accent', text: 'This bank' }) : null,
        ok ? null : el('span', { class: 'badge badge-muted', text: 'Unreachable' }));
      card.append(head);
      if (!ok) {
        card.append(el('p', { class: 'bank-error', dataset: { test: 'bank-error' },
          text: b.message || `Bank ${b.bank} could not be reached.` }));
        card.append(el('p', { class: 'hint', text: 'Its accounts will show again when it answers. Try Refresh.' }));
      } else {
        anyReachable = true;
        const accounts = Array.isArray(b.accounts) ? b.accounts : [];
        if (accounts.length === 0) {
          card.append(el('p', { class: 'muted no-accounts', dataset: { test: 'no-accounts' },
            text: `No accounts at ${b.bank}.` }));
        } else {
          const list = el('ul', { class: 'account-list' });
          for (const a of accounts) {
            list.append(renderAccount(a));
            const t = integerText(a.balance);
            if (t !== null) {
              total += BigInt(t);
            }
          }
          card.append(list);
        }
      }
      cards.push(card);
    }
    if (cards.length === 0) {
      cards.push(el('p', { class: 'muted', text: 'No banks answered.' }));
    }
    ui.accounts.replaceChildren(...cards);
    setMoney(ui.total, anyReachable ? total : null);
  }

  function renderAccount(a) {
    const address = addressOf(a);
    const type = String(a.type || '').toLowerCase();
    const owners = Array.isArray(a.owners) ? a.owners : [];
    const balance = el('span', { class: 'money balance', dataset: { test: 'balance' } });
    setMoney(balance, a.balance);
    const amounts = el('div', { class: 'account-amounts' }, balance);
    const balanceText = integerText(a.balance);
    const availableText = integerText(a.available);
    if (availableText !== null && balanceText !== null && availableText !== balanceText) {
      const available = el('span', { class: 'money', dataset: { test: 'available' } });
      setMoney(available, a.available);
      const held = el('span', { class: 'money', dataset: { test: 'held' } });
      setMoney(held, BigInt(balanceText) - BigInt(availableText));
      amounts.append(el('span', { class: 'account-available' }, 'Available ', available),
        el('span', { class: 'account-held' }, held, ' held'));
    }
    const ownerList = el('span', { dataset: { test: 'owners' } });
    owners.forEach((o, i) => {
      ownerList.append(i === 0 ? '' : ', ',
        el('span', { class: 'taxid', text: o === state.taxId ? `${formatTaxId(o)} (you)` : formatTaxId(o) }));
    });
    return el('li', {
      class: 'account',
      dataset: { test: 'account', address, bank: a.bank, account: a.account, type },
    },
    el('div', { class: 'account-main' },
      el('div', { class: 'account-title' },
        el('span', { class: 'account-id', text: a.account }),
        el('span', { class: `badge badge-type type-${type}`, dataset: { test: 'account-type' },
          text: TYPE_LABELS[type] || a.type || '?' })),
      el('div', { class: 'account-address', text: address })),
    amounts,
    el('div', { class: 'account-owners' },
      el('span', { class: 'owners-label', text: owners.length === 1 ? 'Owner' : 'Owners' }),
      ownerList));
  }

  // ------------------------------------------------------------------------------------------------------
  // Deposit / withdraw
  // ------------------------------------------------------------------------------------------------------

  function renderMoveSelect() {
    const select = ui['move-account'];
    const previous = state.preferMove || select.value;
    state.preferMove = null;
    const here = state.bankAccounts.find((b) => b.bank === state.bank);
    const accounts = here && here.status === 'ok' && Array.isArray(here.accounts) ? here.accounts : [];
    if (accounts.length === 0) {
      const why = here && here.status !== 'ok'
        ? `${state.bank} did not answer`
        : `No account at ${state.bank || 'this bank'} yet: open one`;
      select.replaceChildren(el('option', { value: '', text: why, disabled: true, selected: true }));
      select.disabled = true;
      ui['deposit-submit'].disabled = true;
      ui['withdraw-submit'].disabled = true;
      return;
    }
    select.replaceChildren(...accounts.map((a) => el('option', {
      value: a.account,
      text: `${a.account} · ${TYPE_LABELS[String(a.type).toLowerCase()] || a.type} · ${formatMoney(a.balance)}`,
    })));
    select.disabled = false;
    if (accounts.some((a) => a.account === previous)) {
      select.value = previous;
    }
    ui['deposit-submit'].disabled = false;
    ui['withdraw-submit'].disabled = false;
  }

  async function onMove(event) {
    event.preventDefault();
    const form = ui['move-form'];
    clearInvalid(form);
    clearMessage('move-message');
    const kind = event.submitter && event.submitter.value === 'withdraw' ? 'withdraw' : 'deposit';
    const pressed = kind === 'withdraw' ? ui['withdraw-submit'] : ui['deposit-submit'];
    if (pressed.disabled) {
      return;
    }
    const account = ui['move-account'].value;
    if (!account) {
      fail('move-message', 'Pick one of your accounts at this bank.', ui['move-account']);
      return;
    }
    const amount = parseMoney(ui['move-amount'].value);
    if (amount.error) {
      fail('move-message', amount.error, ui['move-amount']);
      return;
    }
    const path = `/api/accounts/${encodeURIComponent(account)}/${kind === 'deposit' ? 'deposits' : 'withdrawals'}`;
    await busy([ui['deposit-submit'], ui['withdraw-submit']], pressed, async () => {
      try {
        const r = await api('POST', path, { amount: amount.cents });
        const address = (r && r.address) || `${state.bank}/${account}`;
        state.preferMove = account;
        ui['move-amount'].value = '';
        refreshAccounts();
        say('move-message', 'ok',
          `${kind === 'deposit' ? 'Deposited' : 'Withdrew'} ${formatMoney(amount.cents)} ${kind === 'deposit'
            ? 'into' : 'from'} ${address}. New balance: ${formatMoney(r && r.balance)}.`);
      } catch (e) {
        if (e instanceof SessionExpired) {
          return;
        }
        if (e.status) {
          refreshAccounts();
        }
        fail('move-message', describe(e), e.status === 400 ? ui['move-amount'] : null);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // Open an account
  // ------------------------------------------------------------------------------------------------------

  async function onOpen(event) {
    event.preventDefault();
    const form = ui['open-form'];
    clearInvalid(form);
    clearMessage('open-message');
    const account = ui['open-account'].value.trim();
    if (!ACCOUNT_ID.test(account)) {
      fail('open-message', account === ''
        ? 'Enter an id for the account.'
        : 'An account id is 1 to 64 letters, digits, “_”, “.” or “-”, with no spaces.', ui['open-account']);
      return;
    }
    const type = ui['open-type'].value;
    const coOwners = [];
    const words = ui['open-coowners'].value.split(/[\s,;]+/).filter((w) => w !== '');
    for (const word of words) {
      const t = parseTaxId(word);
      if (t.error) {
        fail('open-message', `Co-owners: ${t.error}`, ui['open-coowners']);
        return;
      }
      if (t.taxId !== state.taxId && !coOwners.includes(t.taxId)) {
        coOwners.push(t.taxId);
      }
    }
    if (type === 'joint' && coOwners.length === 0) {
      fail('open-message', 'A joint account needs at least one co-owner besides you.', ui['open-coowners']);
      return;
    }
    if (type === 'individual' && coOwners.length > 0) {
      fail('open-message', 'An individual account has only you as owner: choose Joint or Business to add '
        + 'co-owners.', ui['open-type']);
      return;
    }
    await busy([ui['open-submit']], ui['open-submit'], async () => {
      try {
        const r = await api('POST', '/api/accounts', { account, type, coOwners });
        form.reset();
        state.preferMove = account;
        refreshAccounts();
        say('open-message', 'ok', `Opened ${(r && r.address) || `${state.bank}/${account}`} `
          + `(${TYPE_LABELS[type]}).`);
      } catch (e) {
        if (e instanceof SessionExpired) {
          return;
        }
        if (e.status) {
          refreshAccounts();
        }
        fail('open-message', describe(e), e.status === 409 ? ui['open-account'] : null);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // Transfer
  // ------------------------------------------------------------------------------------------------------

  /** Rebuilds the list of source accounts, keeping what was ticked and typed for accounts still listed. */
  function renderSources() {
    const kept = new Map();
    for (const row of ui.sources.querySelectorAll('.source')) {
      const box = hook('source', row);
      const amount = hook('source-amount', row);
      kept.set(box.dataset.address, { checked: box.checked, value: amount.value });
    }
    const accounts = reachableAccounts();
    if (accounts.length === 0) {
      ui.sources.replaceChildren(el('p', { class: 'muted', text: 'You have no account at a reachable bank.' }));
      updateTransferTotal();
      return;
    }
    const rows = accounts.map((a, i) => {
      const address = addressOf(a);
      const before = kept.get(address) || { checked: false, value: '' };
      const id = `source-${i}`;
      const box = el('input', { type: 'checkbox', id, class: 'source-check',
        dataset: { test: 'source', address }, checked: before.checked });
      const amount = el('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: '0,00',
        class: 'source-amount', 'aria-label': `Amount from ${address}`, value: before.value,
        dataset: { test: 'source-amount', address } });
      const available = el('span', { class: 'money' });
      setMoney(available, a.available ?? a.balance);
      return el('div', { class: `source${before.checked ? ' is-checked' : ''}` },
        box,
        el('label', { for: id, class: 'source-label' },
          el('span', { class: 'source-address', text: address }),
          el('span', { class: 'source-meta' },
            `${TYPE_LABELS[String(a.type).toLowerCase()] || a.type} · available `, available)),
        el('div', { class: 'money-input money-input-small' },
          el('span', { class: 'money-prefix', 'aria-hidden': 'true', text: 'R$' }), amount));
    });
    ui.sources.replaceChildren(...rows);
    updateTransferTotal();
  }

  function onSourcesInput(event) {
    const target = event.target;
    if (target.dataset.test === 'source-amount' && target.value.trim() !== '') {
      const box = hook('source', target.closest('.source'));
      box.checked = true;
    }
    if (target.dataset.test === 'source' && target.checked) {
      const amount = hook('source-amount', target.closest('.source'));
      if (amount.value.trim() === '' && event.type === 'change') {
        amount.focus();
      }
    }
    target.removeAttribute('aria-invalid');
    for (const row of ui.sources.querySelectorAll('.source')) {
      row.classList.toggle('is-checked', hook('source', row).checked);
    }
    updateTransferTotal();
  }

  /** Shows the sum of the ticked amounts, or "—" while one is not a valid amount. */
  function updateTransferTotal() {
    let total = 0n;
    let any = false;
    for (const row of ui.sources.querySelectorAll('.source')) {
      if (!hook('source', row).checked) {
        continue;
      }
      const amount = parseMoney(hook('source-amount', row).value);
      if (amount.error) {
        setMoney(ui['transfer-total'], null);
        return;
      }
      total += BigInt(amount.cents);
      any = true;
    }
    setMoney(ui['transfer-total'], any ? total : null);
  }

  async function searchDestination(taxIdText) {
    clearMessage('dest-message');
    ui['dest-taxid'].removeAttribute('aria-invalid');
    const t = parseTaxId(taxIdText);
    if (t.error) {
      fail('dest-message', t.error, ui['dest-taxid']);
      return;
    }
    ui['dest-results'].replaceChildren();
    await busy([ui['dest-search'], ui['dest-self']], ui['dest-search'], async () => {
      try {
        const r = await api('GET', `/api/owners/${encodeURIComponent(t.taxId)}/accounts`);
        renderDestinations(t.taxId, orderBanks(r && r.banks));
      } catch (e) {
        if (!(e instanceof SessionExpired)) {
          fail('dest-message', describe(e), e.status === 400 ? ui['dest-taxid'] : null);
        }
      }
    });
  }

  function renderDestinations(taxId, banks) {
    const who = taxId === state.taxId ? 'your' : `${formatTaxId(taxId)}’s`;
    const groups = [];
    const radios = [];
    for (const b of banks) {
      const ok = b.status === 'ok';
      const group = el('div', { class: `dest-bank${ok ? '' : ' is-unreachable'}`,
        dataset: { test: 'dest-bank', bank: b.bank, status: ok ? 'ok' : 'unreachable' } },
      el('h4', { class: 'dest-bank-name', text: b.bank }));
      if (!ok) {
        group.append(el('p', { class: 'muted', text: `Unreachable: ${b.message || 'no answer'}` }));
      } else {
        const accounts = Array.isArray(b.accounts) ? b.accounts : [];
        if (accounts.length === 0) {
          group.append(el('p', { class: 'muted', text: 'No accounts.' }));
        }
        for (const a of accounts) {
          const address = addressOf(a);
          const id = `dest-${radios.length}`;
          const radio = el('input', { type: 'radio', name: 'dest', id, value: address,
            dataset: { test: 'dest', address } });
          radios.push(radio);
          group.append(el('div', { class: 'dest-option' }, radio,
            el('label', { for: id },
              el('span', { class: 'dest-address', text: address }),
              el('span', { class: `badge badge-type type-${String(a.type).toLowerCase()}`,
                text: TYPE_LABELS[String(a.type).toLowerCase()] || a.type }))));
        }
      }
      groups.push(group);
    }
    if (radios.length === 1) {
      radios[0].checked = true;
    }
    const legend = el('p', { class: 'dest-title', text: `Accounts of ${formatTaxId(taxId)}` });
    ui['dest-results'].replaceChildren(legend, ...groups);
    if (radios.length === 0) {
      say('dest-message', 'error', `No account of ${formatTaxId(taxId)} found at a reachable bank.`);
    } else {
      say('dest-message', 'ok', `${radios.length} account${radios.length === 1 ? '' : 's'} found: pick ${who} `
        + 'account to send to.');
    }
  }

  async function onTransfer(event) {
    event.preventDefault();
    const form = ui['transfer-form'];
    clearInvalid(form);
    clearMessage('transfer-message');
    const from = [];
    let total = 0n;
    for (const row of ui.sources.querySelectorAll('.source')) {
      const box = hook('source', row);
      if (!box.checked) {
        continue;
      }
      const input = hook('source-amount', row);
      const amount = parseMoney(input.value);
      if (amount.error) {
        fail('transfer-message', `${box.dataset.address}: ${amount.error}`, input);
        return;
      }
      from.push({ account: box.dataset.address, amount: amount.cents });
      total += BigInt(amount.cents);
    }
    if (from.length === 0) {
      const first = hook('source', ui.sources);
      fail('transfer-message', 'Tick at least one of your accounts to take the money from, and type an amount.',
        first);
      return;
    }
    if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
      fail('transfer-message', `The total is too large for this panel: at most ${
        formatMoney(Number.MAX_SAFE_INTEGER)}.`, null);
      return;
    }
    const dest = ui['dest-results'].querySelector('[data-test="dest"]:checked');
    if (!dest) {
      fail('transfer-message', 'Search the recipient’s tax id and pick one of their accounts to send to.',
        ui['dest-taxid']);
      return;
    }
    const to = dest.dataset.address;
    await busy([ui['transfer-submit']], ui['transfer-submit'], async () => {
      try {
        const r = await api('POST', '/api/transfers', { to, from });
        const txId = r && r.txId != null ? String(r.txId) : '?';
        for (const row of ui.sources.querySelectorAll('.source')) {
          hook('source', row).checked = false;
          hook('source-amount', row).value = '';
          row.classList.remove('is-checked');
        }
        updateTransferTotal();
        refreshAccounts();
        const m = hook('transfer-message');
        say('transfer-message', 'ok',
          el('strong', { class: 'result-title',
            text: r && r.status && r.status !== 'committed' ? `Transfer ${r.status}` : 'Transfer done' }),
          el('span', { class: 'result-text' },
            `${formatMoney(r && r.amount != null ? r.amount : total)} sent to ${to}. Transaction `,
            el('code', { dataset: { test: 'transfer-txid' }, text: txId }), '.'));
        m.dataset.tx = txId;
      } catch (e) {
        if (e instanceof SessionExpired) {
          return;
        }
        if (e.status) {
          refreshAccounts();
        }
        say('transfer-message', 'error',
          el('strong', { class: 'result-title', text: 'Transfer not made' }),
          el('span', { class: 'result-text', text: describe(e) }),
          e.status === 503 || e.status === 409 ? el('span', { class: 'result-text muted',
            text: 'No money was moved.' }) : null);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // Register, log in, log out
  // ------------------------------------------------------------------------------------------------------

  function readCredentials(taxIdInput, passwordInput) {
    const t = parseTaxId(taxIdInput.value);
    if (t.error) {
      fail('auth-message', t.error, taxIdInput);
      return null;
    }
    const password = passwordInput.value;
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      // .length counts UTF-16 code units, as Java's String.length() does.
      fail('auth-message', `A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`, passwordInput);
      return null;
    }
    return { taxId: t.taxId, password };
  }

  async function onRegister(event) {
    event.preventDefault();
    clearInvalid(ui['register-form']);
    clearInvalid(ui['login-form']);
    clearMessage('auth-message');
    const c = readCredentials(ui['register-taxid'], ui['register-password']);
    if (!c) {
      return;
    }
    await busy([ui['register-submit'], ui['login-submit']], ui['register-submit'], async () => {
      try {
        const r = await api('POST', '/api/owners', c, { sessionCall: true });
        const taxId = (r && r.taxId) || c.taxId;
        ui['register-form'].reset();
        ui['login-taxid'].value = formatTaxId(taxId);
        ui['login-password'].value = '';
        say('auth-message', 'ok', `Registered ${formatTaxId(taxId)}. Log in with your password.`);
        ui['login-password'].focus();
      } catch (e) {
        fail('auth-message', describe(e), e.status === 409 || e.status === 400 ? ui['register-taxid'] : null);
      }
    });
  }

  async function onLogin(event) {
    event.preventDefault();
    clearInvalid(ui['register-form']);
    clearInvalid(ui['login-form']);
    clearMessage('auth-message');
    const c = readCredentials(ui['login-taxid'], ui['login-password']);
    if (!c) {
      return;
    }
    await busy([ui['register-submit'], ui['login-submit']], ui['login-submit'], async () => {
      try {
        const r = await api('POST', '/api/session', c, { sessionCall: true });
        ui['login-form'].reset();
        resetPanel();
        clearMessage('auth-message');
        await enterPanel((r && r.taxId) || c.taxId);
      } catch (e) {
        ui['login-password'].value = '';
        fail('auth-message', describe(e), e.status === 401 ? ui['login-password'] : null);
      }
    });
  }

  async function onLogout() {
    let problem = null;
    await busy([ui.logout], ui.logout, async () => {
      try {
        await api('DELETE', '/api/session', undefined, { sessionCall: true });
      } catch (e) {
        if (e.status !== 401) {
          problem = describe(e);
        }
      }
    });
    resetPanel();
    showAuth();
    if (problem) {
      say('auth-message', 'error', `The server did not confirm the log out: ${problem}`);
    } else {
      say('auth-message', 'ok', 'You have logged out.');
    }
    ui['login-taxid'].focus();
  }

  // ------------------------------------------------------------------------------------------------------
  // Start
  // ------------------------------------------------------------------------------------------------------

  function showBank(info) {
    if (info && typeof info.name === 'string') {
      state.bank = info.name;
      state.banks = Array.isArray(info.banks) ? info.banks : [info.name];
      ui['bank-name'].textContent = info.name;
      ui.welcomeBank.textContent = info.name;
      ui.consortium.textContent = state.banks.join(' · ');
      document.title = `${info.name} · Control panel · ledger consortium bank`;
      document.querySelectorAll('.here-bank').forEach((e) => { e.textContent = info.name; });
    }
  }

  async function start() {
    bindElements();
    ui['login-form'].addEventListener('submit', onLogin);
    ui['register-form'].addEventListener('submit', onRegister);
    ui.logout.addEventListener('click', onLogout);
    ui.refresh.addEventListener('click', () => { refreshAccounts(); });
    ui['open-form'].addEventListener('submit', onOpen);
    ui['move-form'].addEventListener('submit', onMove);
    ui['transfer-form'].addEventListener('submit', onTransfer);
    ui.sources.addEventListener('input', onSourcesInput);
    ui.sources.addEventListener('change', onSourcesInput);
    ui['dest-search'].addEventListener('click', () => { searchDestination(ui['dest-taxid'].value); });
    ui['dest-self'].addEventListener('click', () => {
      ui['dest-taxid'].value = formatTaxId(state.taxId);
      searchDestination(state.taxId);
    });
    ui['dest-taxid'].addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault(); // search, do not send the transfer
        if (!ui['dest-search'].disabled) {
          searchDestination(ui['dest-taxid'].value);
        }
      }
    });
    for (const form of document.querySelectorAll('form')) {
      form.addEventListener('input', (e) => {
        if (e.target.hasAttribute('aria-invalid')) {
          e.target.removeAttribute('aria-invalid');
        }
      });
    }
    renderMoveSelect();
    updateTransferTotal();

    const [bank, session] = await Promise.allSettled([
      api('GET', '/api/bank', undefined, { sessionCall: true }),
      api('GET', '/api/session', undefined, { sessionCall: true }),
    ]);
    if (bank.status === 'fulfilled') {
      showBank(bank.value);
    }
    if (session.status === 'fulfilled' && session.value && session.value.taxId) {
      await enterPanel(session.value.taxId);
    } else {
      showAuth();
      if (session.status === 'rejected' && session.reason.status !== 401) {
        say('auth-message', 'error', describe(session.reason));
      } else if (bank.status === 'rejected') {
        say('auth-message', 'error', `Could not read this bank’s name: ${describe(bank.reason)}`);
      }
    }
  }

  // Exposed for tests that run this file in a bare JavaScript engine; harmless in the page.
  if (typeof window !== 'undefined') {
    window.ledgerPanel = Object.freeze({ parseMoney, formatMoney, parseTaxId, formatTaxId, cpfValid });
  }

  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', start);
    } else {
      start();
    }
  }
})();
