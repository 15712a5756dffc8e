// Both engines keep the salt of a reader's library feed keys, so rotating them works on either.
import { expect, it } from 'vitest';
import { forEachEngine } from './engines.ts';

forEachEngine('library feed salt', (t) => {
  it('starts empty, is replaced on rotation, and is null for no such user', async () => {
    const ada = await t.store.users.create('ada@example.org', 'Ada', 'hash-1');
    if (!ada) throw new Error('user not created');
    expect(await t.store.users.feedSalt(ada.id)).toBe('');
    await t.store.users.setFeedSalt(ada.id, 'fresh-salt');
    expect(await t.store.users.feedSalt(ada.id)).toBe('fresh-salt');
    expect(await t.store.users.feedSalt(9999)).toBeNull();
  });
});
