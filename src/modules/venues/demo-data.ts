import type { VenueCreateBody } from './schemas.ts'

// Demo data (npm run seed:venues): Hanoi's five design/OCOP centres and the other venues named in the
// programme's reports. Names, types, districts and craft villages are from those reports; coordinates
// are approximate (the village centre) and opening dates and hours are illustrative.
const weekdays = { opens: '08:00', closes: '17:30' }
const everyDay = { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays], sat: [{ opens: '08:00', closes: '18:00' }], sun: [{ opens: '08:00', closes: '18:00' }] }
const centre = (name: string, address: string, adminUnitCode: string, latitude: number, longitude: number): VenueCreateBody => ({
  name,
  type: 'design_centre',
  locationKind: 'craft_village_area',
  address,
  adminUnitCode,
  latitude,
  longitude,
  operatorName: 'Sở Nông nghiệp và Môi trường Hà Nội',
  status: 'open',
  openedOn: '2023-06-30',
  openingHours: everyDay
})
const village = (name: string, type: VenueCreateBody['type'], locationKind: VenueCreateBody['locationKind'], address: string, adminUnitCode: string, latitude: number, longitude: number): VenueCreateBody => ({
  name, type, locationKind, address, adminUnitCode, latitude, longitude, status: 'open', openedOn: '2024-03-01', openingHours: everyDay
})

export const DEMO_VENUES: VenueCreateBody[] = [
  centre('Trung tâm thiết kế sáng tạo và quảng bá sản phẩm OCOP Bát Tràng', 'Xã Bát Tràng, huyện Gia Lâm', '018', 20.9758, 105.9127),
  centre('Trung tâm thiết kế sáng tạo và quảng bá sản phẩm OCOP Duyên Thái', 'Xã Duyên Thái, huyện Thường Tín', '279', 20.8990, 105.8610),
  centre('Trung tâm thiết kế sáng tạo và quảng bá sản phẩm OCOP Chuyên Mỹ', 'Xã Chuyên Mỹ, huyện Phú Xuyên', '280', 20.7330, 105.8360),
  centre('Trung tâm thiết kế sáng tạo và quảng bá sản phẩm OCOP Phú Vinh', 'Làng mây tre đan Phú Vinh, xã Phú Nghĩa, huyện Chương Mỹ', '277', 20.9180, 105.6690),
  centre('Trung tâm thiết kế sáng tạo và quảng bá sản phẩm OCOP Đường Lâm', 'Làng cổ Đường Lâm, thị xã Sơn Tây', '269', 21.1585, 105.4707),
  village('Điểm giới thiệu và bán sản phẩm OCOP làng lụa Vạn Phúc', 'craft_village_venue', 'craft_village_area', 'Làng lụa Vạn Phúc, quận Hà Đông', '268', 20.9796, 105.7745),
  village('Điểm giới thiệu sản phẩm OCOP gắn với du lịch Sài Sơn', 'craft_village_venue', 'tourist_site', 'Xã Sài Sơn, huyện Quốc Oai', '275', 21.0160, 105.6480),
  village('Điểm giới thiệu sản phẩm làng nghề may Vân Từ', 'craft_village_venue', 'craft_village_area', 'Làng Vân Từ, huyện Phú Xuyên', '280', 20.7050, 105.8780),
  village('Điểm giới thiệu sản phẩm làng nghề mộc Sơn Hà', 'craft_village_venue', 'craft_village_area', 'Làng Sơn Hà, huyện Phú Xuyên', '280', 20.7380, 105.9060),
  village('Điểm giới thiệu sản phẩm làng nghề sơn mài Hà Thái', 'craft_village_venue', 'craft_village_area', 'Làng sơn mài Hà Thái, xã Duyên Thái, huyện Thường Tín', '279', 20.8955, 105.8680),
  village('Điểm du lịch cộng đồng Hồng Vân', 'craft_village_venue', 'tourist_site', 'Xã Hồng Vân, huyện Thường Tín', '279', 20.8500, 105.9170)
]
