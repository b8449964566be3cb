import { csvColumns, type CsvColumn } from '../../lib/csv.ts'
import { ProductStatistics, VenueStatistics, type ProductStatisticsBody, type VenueStatisticsBody } from './schemas.ts'

// The statistics as spreadsheets: the day counted, then a row for the totals (key `total`) and a row
// per group of the breakdown, with the same count columns.

const on: CsvColumn = { name: 'on', path: ['on'] }
const TOTAL = { key: 'total', name: 'Tổng cộng' }

export const productStatisticsColumns = [on, ...csvColumns(ProductStatistics.properties.breakdown.items)]
export const productStatisticsRows = (body: ProductStatisticsBody) =>
  [{ ...TOTAL, ...body.totals }, ...body.breakdown].map((row) => ({ on: body.on, ...row }))

export const venueStatisticsColumns = [on, ...csvColumns(VenueStatistics.properties.byAdminUnit.items)]
export const venueStatisticsRows = (body: VenueStatisticsBody) =>
  [{ ...TOTAL, open: body.open, byType: body.byType }, ...body.byAdminUnit].map((row) => ({ on: body.on, ...row }))
