import type { DbHandle } from '../../src/db/client.ts'
import { anonymous, type Principal } from '../../src/lib/principal.ts'
import { createProducer } from '../../src/modules/producers/service.ts'
import type { ProducerCreateBody } from '../../src/modules/producers/schemas.ts'
import { createProduct } from '../../src/modules/products/service.ts'
import type { ProductCreateBody } from '../../src/modules/products/schemas.ts'
import { createVillage } from '../../src/modules/villages/service.ts'
import type { CraftVillageCreateBody } from '../../src/modules/villages/schemas.ts'

const system: Principal = { ...anonymous('test-factory'), role: 'admin', keyName: 'test factory' }
let n = 0

export async function makeVillage (db: DbHandle, input: Partial<CraftVillageCreateBody> = {}) {
  return createVillage(db.db, system, { name: `Làng nghề ${++n}`, adminUnitCode: '018', trade: 'Gốm sứ', ...input })
}

export async function makeProducer (db: DbHandle, input: Partial<ProducerCreateBody> = {}) {
  return createProducer(db.db, system, { name: `Hợp tác xã ${++n}`, type: 'cooperative', address: 'Hà Nội', adminUnitCode: '018', registeredOn: '2024-01-15', ...input }, new Date())
}

export async function makeProduct (db: DbHandle, input: Partial<ProductCreateBody> = {}) {
  const producerId = input.producerId ?? (await makeProducer(db)).id
  return createProduct(db.db, system, { producerId, nameVi: `Sản phẩm ${++n}`, group148: '1.3', ...input })
}
