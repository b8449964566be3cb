-- The two criteria sets with a generic score card per part. The part maxima are the decisions'
-- (1048: A 35, B 25, C 40; 148: A 40, B 25, C 35); the criteria under them are a generic card whose
-- maxima add up to each part. Official per-group score cards load as data: POST /v1/criteria-sets.
INSERT INTO criteria_sets (key, title_vi, title_en, decision, applies_from, applies_to, taxonomy) VALUES ('QD1048-2019', 'Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (Quyết định 1048/QĐ-TTg)', 'OCOP product evaluation and classification criteria (Decision 1048/QĐ-TTg)', '1048/QĐ-TTg of 21 Aug 2019, amended by 781/QĐ-TTg of 2020', '2019-08-21', '2023-02-23', 'QD1048-2019');
--> statement-breakpoint
INSERT INTO criteria_set_parts (set_key, part, title_vi, title_en, max_points) VALUES
  ('QD1048-2019', 'A', 'Sản xuất, phát triển sản phẩm và sức mạnh cộng đồng', 'Production organisation, product development and community strength', 35),
  ('QD1048-2019', 'B', 'Khả năng tiếp thị và câu chuyện sản phẩm', 'Marketing capability and the product story', 25),
  ('QD1048-2019', 'C', 'Chất lượng sản phẩm', 'Product quality, standards and export capability', 40);
--> statement-breakpoint
INSERT INTO criteria (set_key, code, part, title_vi, title_en, max_points, mandatory_for, position) VALUES
  ('QD1048-2019', 'A1', 'A', 'Nguồn nguyên liệu địa phương', 'Local origin of raw materials', 10, 3, 1),
  ('QD1048-2019', 'A2', 'A', 'Sử dụng lao động địa phương', 'Local labour and community participation', 5, NULL, 2),
  ('QD1048-2019', 'A3', 'A', 'Tổ chức sản xuất và kế hoạch kinh doanh', 'Production organisation and business plan', 10, NULL, 3),
  ('QD1048-2019', 'A4', 'A', 'Phát triển sản phẩm, đổi mới sáng tạo', 'Product development and innovation', 10, NULL, 4),
  ('QD1048-2019', 'B1', 'B', 'Tiếp thị và kênh phân phối', 'Marketing and distribution channels', 10, NULL, 5),
  ('QD1048-2019', 'B2', 'B', 'Câu chuyện và thương hiệu sản phẩm', 'Product story and branding', 10, 4, 6),
  ('QD1048-2019', 'B3', 'B', 'Quảng bá, thương mại điện tử', 'Promotion and e-commerce presence', 5, NULL, 7),
  ('QD1048-2019', 'C1', 'C', 'Tiêu chuẩn chất lượng, truy xuất nguồn gốc', 'Quality standards and traceability', 10, 3, 8),
  ('QD1048-2019', 'C2', 'C', 'Chứng nhận an toàn, chất lượng', 'Safety and quality certification', 10, 4, 9),
  ('QD1048-2019', 'C3', 'C', 'Tính chất cảm quan, công năng', 'Sensory and functional qualities', 15, NULL, 10),
  ('QD1048-2019', 'C4', 'C', 'Khả năng xuất khẩu', 'Export capability', 5, 5, 11);
--> statement-breakpoint
INSERT INTO criteria_sets (key, title_vi, title_en, decision, applies_from, applies_to, taxonomy) VALUES ('QD148-2023', 'Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (Quyết định 148/QĐ-TTg)', 'OCOP product evaluation and classification criteria (Decision 148/QĐ-TTg)', '148/QĐ-TTg of 24 Feb 2023', '2023-02-24', NULL, 'QD148-2023');
--> statement-breakpoint
INSERT INTO criteria_set_parts (set_key, part, title_vi, title_en, max_points) VALUES
  ('QD148-2023', 'A', 'Sản xuất, phát triển sản phẩm và sức mạnh cộng đồng', 'Production organisation, product development and community strength', 40),
  ('QD148-2023', 'B', 'Khả năng tiếp thị và câu chuyện sản phẩm', 'Marketing capability and the product story', 25),
  ('QD148-2023', 'C', 'Chất lượng sản phẩm', 'Product quality, standards and export capability', 35);
--> statement-breakpoint
INSERT INTO criteria (set_key, code, part, title_vi, title_en, max_points, mandatory_for, position) VALUES
  ('QD148-2023', 'A1', 'A', 'Nguồn nguyên liệu địa phương', 'Local origin of raw materials', 10, 3, 1),
  ('QD148-2023', 'A2', 'A', 'Sử dụng lao động địa phương', 'Local labour and community participation', 5, NULL, 2),
  ('QD148-2023', 'A3', 'A', 'Tổ chức sản xuất và kế hoạch kinh doanh', 'Production organisation and business plan', 10, NULL, 3),
  ('QD148-2023', 'A4', 'A', 'Phát triển sản phẩm, đổi mới sáng tạo', 'Product development and innovation', 10, NULL, 4),
  ('QD148-2023', 'A5', 'A', 'Nguồn gốc ý tưởng sản phẩm, bản sắc địa phương', 'Origin of the product idea and local identity', 5, NULL, 5),
  ('QD148-2023', 'B1', 'B', 'Tiếp thị và kênh phân phối', 'Marketing and distribution channels', 10, NULL, 6),
  ('QD148-2023', 'B2', 'B', 'Câu chuyện và thương hiệu sản phẩm', 'Product story and branding', 10, 4, 7),
  ('QD148-2023', 'B3', 'B', 'Quảng bá, thương mại điện tử', 'Promotion and e-commerce presence', 5, NULL, 8),
  ('QD148-2023', 'C1', 'C', 'Tiêu chuẩn chất lượng, truy xuất nguồn gốc', 'Quality standards and traceability', 10, 3, 9),
  ('QD148-2023', 'C2', 'C', 'Chứng nhận an toàn, chất lượng', 'Safety and quality certification', 10, 4, 10),
  ('QD148-2023', 'C3', 'C', 'Tính chất cảm quan, công năng', 'Sensory and functional qualities', 10, NULL, 11),
  ('QD148-2023', 'C4', 'C', 'Khả năng xuất khẩu', 'Export capability', 5, 5, 12);
