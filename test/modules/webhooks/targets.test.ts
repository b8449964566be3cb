import t from 'tap'
import { postJson } from '../../../src/modules/webhooks/post.ts'

t.test('delivery connects only to the public address it checked, whatever the URL spells', async (t) => {
  const options = { timeoutMs: 2000, allowInsecure: false }
  for (const url of ['https://[::127.0.0.1]:9/h', 'https://[::ffff:127.0.0.1]:9/h', 'https://[64:ff9b::a00:1]:9/h', 'https://2130706433:9/h', 'https://10.0.0.1:9/h']) {
    await t.rejects(postJson(url, {}, '{}', options), { code: 'ENOTPUBLIC' }, `${url}: refused before connecting`)
  }
  // A name is resolved once, checked, and that address is the one connected to (no second lookup to rebind).
  await t.rejects(postJson('https://localhost:9/h', {}, '{}', options), { code: 'ENOTPUBLIC' }, 'a name resolving to loopback')
})
