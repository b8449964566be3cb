import { bodyField, unprocessable } from '../../lib/problem.ts'
import { type Text } from '../../lib/i18n.ts'

export const VENUE_TYPES = ['point_of_sale', 'showroom', 'design_centre', 'craft_village_venue', 'other'] as const
/** Where a point of sale may stand (Decision 950/QĐ-BCT, 2023), and `other`. */
export const LOCATION_KINDS = [
  'station', 'airport', 'bus_station', 'port', 'highway_rest_stop', 'mall', 'supermarket', 'market', 'tourist_site',
  'restaurant', 'hotel', 'craft_village_area', 'trade_service_centre', 'fair_exhibition_centre', 'post_office', 'other'
] as const
export const VENUE_STATUSES = ['planned', 'open', 'closed'] as const
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = typeof WEEKDAYS[number]
export interface Interval { opens: string, closes: string }
/** Opening intervals per weekday in Hanoi time; a day left out is a day the venue is closed. */
export type OpeningHours = Partial<Record<Weekday, Interval[]>>

/** Hanoi's bounding box (WGS84), with a little margin around the city's boundary. */
export const HANOI_BOUNDS = { minLat: 20.53, maxLat: 21.42, minLng: 105.28, maxLng: 106.03 }

export function requireInHanoi (latitude: number, longitude: number): void {
  const b = HANOI_BOUNDS
  const errors = []
  const outside = (value: number, min: number, max: number): Text => ({
    vi: `${value} nằm ngoài Hà Nội (${min} đến ${max}); gửi "allowOutsideHanoi": true nếu vẫn muốn ghi nhận`,
    en: `${value} is outside Hanoi (${min} to ${max}); send "allowOutsideHanoi": true to record it anyway`
  })
  if (latitude < b.minLat || latitude > b.maxLat) errors.push(bodyField('latitude', outside(latitude, b.minLat, b.maxLat)))
  if (longitude < b.minLng || longitude > b.maxLng) errors.push(bodyField('longitude', outside(longitude, b.minLng, b.maxLng)))
  if (errors.length) {
    throw unprocessable({ vi: `tọa độ ${latitude}, ${longitude} nằm ngoài khung bao của Hà Nội`, en: `the coordinates ${latitude}, ${longitude} are outside Hanoi's bounding box` }, errors)
  }
}

/**
 * Each day's intervals must close after they open ("24:00" closes at midnight) and must not overlap.
 * Times are "HH:MM" (the schema checks the format), so they compare as strings.
 */
export function validateOpeningHours (hours: OpeningHours | null | undefined): void {
  if (!hours) return
  const errors = []
  for (const day of WEEKDAYS) {
    const intervals = hours[day]
    if (!intervals) continue
    const sorted = intervals.map((interval, index) => ({ ...interval, index })).sort((a, b) => a.opens.localeCompare(b.opens))
    for (const [i, interval] of sorted.entries()) {
      if (interval.closes <= interval.opens) {
        errors.push(bodyField(`openingHours/${day}/${interval.index}`, {
          vi: `đóng cửa lúc ${interval.closes}, không sau giờ mở cửa ${interval.opens}`,
          en: `closes at ${interval.closes}, not after it opens at ${interval.opens}`
        }))
      }
      const previous = sorted[i - 1]
      if (previous && interval.opens < previous.closes) {
        const spans = [`${interval.opens}-${interval.closes}`, `${previous.opens}-${previous.closes}`]
        errors.push(bodyField(`openingHours/${day}/${interval.index}`, { vi: `${spans[0]} chồng lên ${spans[1]}`, en: `${spans[0]} overlaps ${spans[1]}` }))
      }
    }
  }
  if (errors.length) throw unprocessable({ vi: 'giờ mở cửa không hợp lệ', en: 'the opening hours are not valid' }, errors)
}

const hanoiParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

/** The weekday and "HH:MM" of an instant in Asia/Ho_Chi_Minh (its date: hanoiDate in lib/clock). */
export function hanoiMoment (instant: Date): { day: Weekday, time: string } {
  const parts = Object.fromEntries(hanoiParts.formatToParts(instant).map((p) => [p.type, p.value]))
  return { day: parts.weekday!.toLowerCase().slice(0, 3) as Weekday, time: `${parts.hour}:${parts.minute}` }
}
