/** The demo shop's products. Prices are decimal strings, as the merchant API accepts them. */
export interface Product {
  slug: string;
  name: string;
  blurb: string;
  price: string;
  currency: string;
}

export const PRODUCTS: readonly Product[] = [
  { slug: 'pour-over-kit', name: 'Pour-over kit', blurb: 'Glass dripper, 40 filters and a gooseneck kettle.', price: '0.0125', currency: 'ETH' },
  { slug: 'espresso-beans', name: 'Espresso beans, 1 kg', blurb: 'Medium roast from Huila, Colombia. Roasted this week.', price: '24.5', currency: 'USDT' },
  { slug: 'travel-mug', name: 'Travel mug', blurb: 'Keeps it hot for six hours; fits every cup holder we tried.', price: '0.004', currency: 'ETH' },
];

export function findProduct(slug: string | undefined): Product | undefined {
  return PRODUCTS.find((p) => p.slug === slug);
}
