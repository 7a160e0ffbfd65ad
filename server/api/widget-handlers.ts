/** The payment-widget routes of the merchant API (Calypso's /payment-widget/single-fiat/…). */
import { ApiError } from '../http/errors';
import { fiatPrice } from '../invoices/quote';
import type { Engine } from '../invoices/engine';
import { findFiat } from '../money/fiat';
import type { Widgets } from '../widgets/widgets';
import type { Handlers } from './merchant-routes';
import { checkExpiration, requestAmount } from './request-fields';
import type { Clock } from '../clock';

export interface WidgetHandlerDeps {
  clock: Clock;
  engine: Engine;
  widgets: Widgets;
}

export function widgetHandlers({ clock, engine, widgets }: WidgetHandlerDeps) {
  return {
    async createWidget(p, { account }) {
      const currencies = p.cryptoCurrencies.map((code, i) => {
        const currency = engine.currencies.find(code);
        if (!currency) throw new ApiError('UNSUPPORTED_CURRENCY', `payload.cryptoCurrencies[${i}]: "${code}" is not a supported currency`);
        return currency;
      });
      const fiat = findFiat(p.fiatCurrency);
      if (!fiat) throw new ApiError('UNSUPPORTED_CURRENCY', `payload.fiatCurrency: "${p.fiatCurrency}" is not an ISO 4217 currency code such as "USD"`);
      const read = fiatPrice(requestAmount('fiatAmount', p.fiatAmount), fiat);
      if (!read.ok) throw new ApiError('VALIDATION_FAILED', `payload.fiatAmount ${read.reason.replace("the currency's precision", `${fiat.code} has ${fiat.minorUnits}`)}`);
      checkExpiration(clock, p.expiration);
      const row = await widgets.create(account, { ...p, currencies, price: read.price, expiresAt: p.expiration });
      return widgets.dto(row);
    },

    findWidget: async (p, { account }) => widgets.dto(await widgets.findByKey(account, p.idempotencyKey)),
  } satisfies Partial<Handlers>;
}
