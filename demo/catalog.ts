/**
 * The demo shop's products, priced in US dollars (`usd`, sold through a
 * payment widget: the buyer picks the coin), and each also in one coin
 * (`price` in `currency`) for the checkouts of a single fixed-coin invoice.
 * Prices are decimal strings, as the merchant API accepts them.
 */
export interface Product {
  slug: string;
  name: string;
  blurb: string;
  usd: string;
  price: string;
  currency: string;
}

/** The coins the shop accepts through its payment widget. */
export const WIDGET_COINS = ['USDT_MATIC', 'ETH', 'USDC'] as const;

export const PRODUCTS: readonly Product[] = [
  { slug: 'pour-over-kit', name: 'Pour-over kit', blurb: 'Glass dripper, 40 filters and a gooseneck kettle.', usd: '37.50', price: '0.0125', currency: 'ETH' },
  { slug: 'espresso-beans', name: 'Espresso beans, 1 kg', blurb: 'Medium roast from Huila, Colombia. Roasted this week.', usd: '24.50', price: '24.5', currency: 'USDT' },
  { slug: 'travel-mug', name: 'Travel mug', blurb: 'Keeps it hot for six hours; fits every cup holder we tried.', usd: '12.00', price: '0.004', currency: 'ETH' },
];

export function findProduct(slug: string | undefined): Product | undefined {
  return PRODUCTS.find((p) => p.slug === slug);
}
