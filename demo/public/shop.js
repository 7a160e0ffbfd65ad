// The demo shop's browser script. Everything it hears from the checkout is
// shown for display only: the shop's server learns the outcome from Payframe
// (API now, webhooks later), never from this page.
const panel = document.querySelector('[data-sandbox]');
let invoiceId = panel ? panel.dataset.invoice : '';

function log(text) {
  const list = document.querySelector('[data-log]');
  if (!list) return;
  const item = document.createElement('li');
  item.textContent = text;
  list.prepend(item);
}

function showState(state) {
  const el = document.querySelector('[data-status]');
  if (el && state) el.textContent = state;
}

function setInvoice(id) {
  invoiceId = id;
  panel.dataset.invoice = id;
  panel.querySelector('[data-invoice-id]').textContent = id;
}

// Sandbox buttons: this shop's backend calls Payframe's sandbox API.
panel?.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  button.disabled = true;
  try {
    const res = await fetch(`/sandbox/${button.dataset.action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invoiceId }),
    });
    const out = await res.json();
    const what = out.txHash ? `tx ${out.txHash.slice(0, 10)}…` : out.rates ? `ETH_USD ${out.rates.ETH_USD}` : `block ${out.height}`;
    log(res.ok ? `sandbox ${button.dataset.action}: ${what}` : `sandbox error: ${out.error}`);
  } finally {
    button.disabled = false;
  }
});

// 1. Script tag: the loader mounted the checkout (or a payment widget's picker); its DOM events bubble from the container.
for (const container of document.querySelectorAll('[data-payframe-invoice],[data-payframe-widget]')) {
  for (const type of ['ready', 'status', 'paid', 'completed']) {
    container.addEventListener(`payframe:${type}`, (e) => {
      // A widget's checkout names its invoice once the buyer picked a coin: the sandbox buttons pay that one.
      if (e.detail.invoiceId && e.detail.invoiceId !== invoiceId) setInvoice(e.detail.invoiceId);
      log(`payframe:${type} ${e.detail.state}`);
      showState(e.detail.state);
    });
  }
}

// 2. Modal: the shop's backend creates the order, then Payframe.open shows the checkout; callbacks report.
for (const button of document.querySelectorAll('[data-pay-button]')) {
  button.addEventListener('click', async () => {
    const res = await fetch('/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ product: button.dataset.payButton }) });
    const order = await res.json();
    if (!res.ok) return log(`order failed: ${order.error}`);
    setInvoice(order.invoiceId);
    log(`order ${order.orderId} created`);
    // The modal makes the rest of the page inert; the sandbox panel stays usable, floating above the backdrop.
    panel.classList.add('floating');
    window.Payframe.open(order.invoiceId, {
      keepInteractive: [panel],
      onStatus: (m) => {
        log(`onStatus ${m.state}`);
        showState(m.state);
      },
      onPaid: (m) => log(`onPaid ${m.state}`),
      onCompleted: (m) => log(`onCompleted ${m.state}`),
      onClose: () => {
        panel.classList.remove('floating');
        log('onClose');
      },
      // "Return to store" closes the modal; the shop stays where it is (navigateOnReturn: true would go to m.url).
      onReturn: (m) => log(`onReturn ${m.url}`),
    });
  });
}

// 2b. Any coin: the backend creates a payment widget; the modal shows its picker, then the chosen coin's checkout.
for (const button of document.querySelectorAll('[data-widget-button]')) {
  button.addEventListener('click', async () => {
    const res = await fetch('/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ product: button.dataset.widgetButton, widget: true }) });
    const order = await res.json();
    if (!res.ok) return log(`order failed: ${order.error}`);
    log(`order ${order.orderId} created`);
    panel.classList.add('floating');
    window.Payframe.open({ widget: order.widgetId }, {
      keepInteractive: [panel],
      onReady: (m) => setInvoice(m.invoiceId),
      onStatus: (m) => {
        log(`onStatus ${m.state}`);
        showState(m.state);
      },
      onCompleted: (m) => log(`onCompleted ${m.state}`),
      onClose: () => {
        panel.classList.remove('floating');
        log('onClose');
      },
    });
  });
}

// 3. Plain iframe: no loader; this page checks each message's origin and source itself.
const frame = document.querySelector('iframe[data-payframe-frame]');
if (frame) {
  const payframeOrigin = new URL(frame.src).origin;
  window.addEventListener('message', (e) => {
    if (e.origin !== payframeOrigin || e.source !== frame.contentWindow || e.data?.source !== 'payframe') return;
    const m = e.data;
    if (m.type === 'resize') {
      frame.style.height = `${m.height}px`;
      return;
    }
    log(`message ${m.type}${m.state ? ` ${m.state}` : ''}`);
    showState(m.state);
  });
}

// 4. The sandbox wallet: a simulated browser wallet (EIP-6963) that pays through the sandbox chain, so the
// checkout's "Pay with wallet" can be tried without installing one. The loader lends it to the checkout's
// iframe (widget.js's wallet relay); it approves at once and logs each step in the sandbox panel.
if (panel) {
  const chainId = '0x539'; // the sandbox's EIP-681 chain id, 1337
  const fail = (code, message) => Object.assign(new Error(message), { code });
  const provider = {
    async request({ method, params = [] }) {
      if (method === 'eth_requestAccounts') return log('sandbox wallet: connected'), ['0x000000000000000000000000000000000000dEaD'];
      if (method === 'eth_chainId') return chainId;
      if (method === 'wallet_switchEthereumChain') {
        if (params[0]?.chainId === chainId) return null;
        throw fail(4902, 'the sandbox wallet knows the sandbox chain only');
      }
      if (method !== 'eth_sendTransaction') throw fail(4200, `the sandbox wallet does not do ${method}`);
      const res = await fetch('/sandbox/wallet-send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invoiceId, tx: params[0] }) });
      const out = await res.json();
      if (!res.ok) throw fail(-32603, out.error);
      log(`sandbox wallet: sent tx ${out.txHash.slice(0, 10)}…`);
      return out.txHash;
    },
  };
  const icon = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 20 20%22%3E%3Crect width=%2220%22 height=%2220%22 rx=%224%22 fill=%22%23c66b2d%22/%3E%3C/svg%3E';
  const detail = Object.freeze({ info: Object.freeze({ uuid: crypto.randomUUID(), name: 'Sandbox wallet', icon, rdns: 'dev.payframe.sandbox' }), provider });
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  window.addEventListener('eip6963:requestProvider', announce);
  announce();
}
