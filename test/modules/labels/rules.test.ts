import t from 'tap'
import { labelCode, labelToken, parseToken, TOKEN_PATTERN } from '../../../src/modules/labels/rules.ts'

// Codes already printed on labels must verify for as long as the labels are in use: the check code of a
// serial under a secret never changes, however it is computed.
t.test('a serial\'s check code under a secret is the one printed before', async (t) => {
  t.equal(labelCode('secret-one', 1), 'NSCTENVZK5')
  t.equal(labelCode('secret-one', 123456789), 'NKFXVV7251')
  t.equal(labelCode('c2VjcmV0LXR3bw', 999999999), 'XBZYFPVB7Z')
  t.equal(labelToken('x', 42), 'HN000000042-W497ET3Y3B')
})

t.test('a token reads back as its serial and code, in the pattern the route accepts', async (t) => {
  const token = labelToken('another secret', 7_654_321)
  t.match(token, new RegExp(TOKEN_PATTERN))
  t.same(parseToken(token), { serial: 7_654_321, code: labelCode('another secret', 7_654_321) })
})
