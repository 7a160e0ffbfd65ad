// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createStore, useStore } from './store';

describe('createStore', () => {
  it('tells every listener after a cell changes, and nobody when it is set to the value it has', () => {
    const { cell, subscribe } = createStore();
    const a = cell(1);
    const b = cell('x');
    const heard: string[] = [];
    subscribe(() => heard.push(`1:${a.value}${b.value}`));
    const stop = subscribe(() => heard.push(`2:${a.value}${b.value}`));
    a.value = 1;
    a.value = 2;
    stop();
    b.value = 'y';
    expect(heard).toEqual(['1:2x', '2:2x', '1:2y']);
    expect(b.peek()).toBe('y');
  });

  it('keeps two stores apart', () => {
    const one = createStore();
    const two = createStore();
    let heard = 0;
    two.subscribe(() => heard++);
    one.cell(0).value = 1;
    expect(heard).toBe(0);
  });

  it('re-renders a component for a change made right after it rendered, as the page starts the model right after hydrating', async () => {
    const store = createStore();
    const count = store.cell(0);
    function Count() {
      useStore(store);
      return <p>{count.value}</p>;
    }
    const root = document.createElement('div');
    render(<Count />, root);
    count.value = 1;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(root.textContent).toBe('1');
  });
});
