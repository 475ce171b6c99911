//! The procedure catalogue ([`catalogue`]): some 280 procedures of communes and provinces in
//! 25 fields, each with its online level, legal processing time, fee, number of components
//! and a popularity weight (how many dossiers it draws relative to the others).
//!
//! Names, levels, times and fees follow the published procedures of 2025 closely enough for
//! benchmarks; the codes (`9.FFNNNN`: field, then rank in the field) are made up in the shape
//! of the national database's codes, so they never collide with a real catalogue.

use motcua_core::procedure::{Offerer, OnlineLevel, Procedure, ProcedureCode, ProcessingDays};
use motcua_core::unit::UnitKind;

/// Who carries out a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    /// Communes, wards and special zones.
    C,
    /// The province (its public administration service centre and departments).
    P,
    /// Both: received at the commune desk or at the province.
    CP,
}

use By::{C, CP, P};
use OnlineLevel::{Full as F, None as N, Partial as Pa};

/// A procedure: name, who, online level, processing days in thousandths, fee in đồng,
/// components, popularity weight.
type Entry = (&'static str, By, OnlineLevel, u32, i64, u32, u32);

const D: u32 = 1000;
const HALF: u32 = 500;

#[rustfmt::skip]
const HO_TICH: &[Entry] = &[
    ("Đăng ký khai sinh", C, F, D, 0, 2, 900),
    ("Đăng ký kết hôn", C, Pa, D, 0, 2, 350),
    ("Đăng ký khai tử", C, F, D, 0, 2, 300),
    ("Cấp bản sao trích lục hộ tịch", C, F, D, 8_000, 1, 400),
    ("Cấp Giấy xác nhận tình trạng hôn nhân", C, F, 3 * D, 0, 2, 500),
    ("Đăng ký nhận cha, mẹ, con", C, Pa, 3 * D, 0, 3, 40),
    ("Đăng ký khai sinh kết hợp nhận cha, mẹ, con", C, Pa, 3 * D, 0, 3, 30),
    ("Đăng ký lại khai sinh", C, Pa, 5 * D, 0, 3, 60),
    ("Đăng ký lại kết hôn", C, Pa, 5 * D, 0, 2, 10),
    ("Đăng ký lại khai tử", C, Pa, 5 * D, 0, 2, 8),
    ("Thay đổi, cải chính, bổ sung thông tin hộ tịch", C, F, 3 * D, 0, 3, 120),
    ("Đăng ký giám hộ", C, Pa, 3 * D, 0, 2, 10),
    ("Đăng ký chấm dứt giám hộ", C, Pa, 2 * D, 0, 2, 4),
    ("Đăng ký khai sinh có yếu tố nước ngoài", C, Pa, 3 * D, 0, 3, 15),
    ("Đăng ký kết hôn có yếu tố nước ngoài", C, Pa, 10 * D, 0, 4, 12),
    ("Đăng ký khai tử có yếu tố nước ngoài", C, Pa, 3 * D, 0, 2, 4),
    ("Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài", C, Pa, 5 * D, 0, 3, 5),
    ("Xác định lại dân tộc", C, Pa, 3 * D, 0, 3, 6),
    ("Liên thông thủ tục đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", C, F, 5 * D, 0, 3, 250),
    ("Liên thông thủ tục đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, hỗ trợ chi phí mai táng", C, F, 10 * D, 0, 3, 80),
    ("Đăng ký việc nuôi con nuôi trong nước", C, N, 20 * D, 400_000, 4, 5),
    ("Đăng ký lại việc nuôi con nuôi trong nước", C, N, 5 * D, 0, 3, 1),
    ("Thay đổi, cải chính, bổ sung thông tin hộ tịch có yếu tố nước ngoài", C, Pa, 3 * D, 0, 3, 3),
];

#[rustfmt::skip]
const CHUNG_THUC: &[Entry] = &[
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp", C, N, HALF, 2_000, 1, 2_500),
    ("Cấp bản sao điện tử được chứng thực từ bản chính", C, F, HALF, 2_000, 1, 500),
    ("Chứng thực chữ ký trong các giấy tờ, văn bản", C, N, HALF, 10_000, 1, 400),
    ("Chứng thực chữ ký người dịch", C, N, HALF, 10_000, 2, 30),
    ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", C, N, 2 * D, 50_000, 3, 80),
    ("Chứng thực hợp đồng, giao dịch liên quan đến thực hiện các quyền của người sử dụng đất", C, N, 2 * D, 50_000, 4, 200),
    ("Chứng thực hợp đồng, giao dịch về nhà ở", C, N, 2 * D, 50_000, 4, 90),
    ("Chứng thực di chúc", C, N, 2 * D, 50_000, 2, 20),
    ("Chứng thực văn bản từ chối nhận di sản", C, N, 2 * D, 50_000, 2, 15),
    ("Chứng thực văn bản thỏa thuận phân chia di sản", C, N, 2 * D, 50_000, 4, 40),
    ("Chứng thực văn bản khai nhận di sản", C, N, 2 * D, 50_000, 4, 30),
    ("Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", C, N, 2 * D, 30_000, 2, 15),
    ("Sửa lỗi sai sót trong hợp đồng, giao dịch", C, N, D, 25_000, 2, 5),
    ("Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", C, N, D, 2_000, 1, 10),
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của nước ngoài cấp", P, N, D, 2_000, 1, 30),
    ("Chứng thực chữ ký trong các giấy tờ, văn bản bằng tiếng nước ngoài", P, N, D, 10_000, 1, 10),
];

#[rustfmt::skip]
const DAT_DAI: &[Entry] = &[
    ("Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất lần đầu", C, Pa, 20 * D, 100_000, 5, 150),
    ("Hòa giải tranh chấp đất đai", C, N, 30 * D, 0, 2, 30),
    ("Giải quyết tranh chấp đất đai", C, N, 45 * D, 0, 3, 10),
    ("Chuyển mục đích sử dụng đất đối với hộ gia đình, cá nhân", C, Pa, 15 * D, 0, 4, 60),
    ("Giao đất, cho thuê đất cho hộ gia đình, cá nhân không thông qua đấu giá", C, N, 20 * D, 0, 4, 10),
    ("Thu hồi đất do người sử dụng đất tự nguyện trả lại đất", C, N, 20 * D, 0, 2, 3),
    ("Gia hạn sử dụng đất nông nghiệp của hộ gia đình, cá nhân", C, Pa, 7 * D, 0, 2, 20),
    ("Xác nhận tiếp tục sử dụng đất nông nghiệp khi hết hạn sử dụng đất", C, Pa, 5 * D, 0, 2, 15),
    ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho, thừa kế", CP, Pa, 10 * D, 50_000, 5, 700),
    ("Đăng ký biến động do đổi tên, thay đổi thông tin người sử dụng đất", CP, Pa, 7 * D, 30_000, 3, 150),
    ("Tách thửa hoặc hợp thửa đất", CP, Pa, 15 * D, 50_000, 4, 200),
    ("Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", CP, Pa, 7 * D, 50_000, 3, 150),
    ("Cấp lại Giấy chứng nhận do bị mất", CP, Pa, 10 * D, 50_000, 3, 30),
    ("Đính chính Giấy chứng nhận đã cấp", CP, Pa, 10 * D, 0, 2, 25),
    ("Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", CP, F, D, 80_000, 3, 350),
    ("Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", CP, F, D, 20_000, 2, 250),
    ("Cung cấp thông tin, dữ liệu đất đai", CP, F, 2 * D, 30_000, 1, 80),
    ("Đăng ký thay đổi biện pháp bảo đảm", CP, F, 2 * D, 40_000, 2, 20),
    ("Giao đất, cho thuê đất cho tổ chức", P, N, 20 * D, 0, 5, 5),
    ("Chuyển mục đích sử dụng đất đối với tổ chức", P, N, 15 * D, 0, 5, 3),
    ("Thẩm định nhu cầu sử dụng đất", P, N, 15 * D, 0, 4, 2),
    ("Gia hạn sử dụng đất đối với tổ chức", P, Pa, 15 * D, 0, 3, 2),
];

#[rustfmt::skip]
const TU_PHAP: &[Entry] = &[
    ("Công nhận hòa giải viên", C, F, 5 * D, 0, 1, 5),
    ("Thôi làm hòa giải viên", C, F, 5 * D, 0, 1, 2),
    ("Thanh toán thù lao cho hòa giải viên", C, Pa, 5 * D, 0, 2, 3),
    ("Công nhận tuyên truyền viên pháp luật", C, F, 3 * D, 0, 1, 2),
    ("Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại", C, N, 30 * D, 0, 3, 1),
    ("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", P, F, 10 * D, 200_000, 2, 600),
    ("Cấp Phiếu lý lịch tư pháp cho người nước ngoài cư trú tại Việt Nam", P, F, 10 * D, 200_000, 2, 10),
    ("Đăng ký hoạt động văn phòng công chứng", P, N, 10 * D, 1_000_000, 4, 2),
    ("Cấp Thẻ công chứng viên", P, Pa, 10 * D, 0, 3, 2),
    ("Đăng ký hành nghề luật sư với tư cách cá nhân", P, Pa, 7 * D, 100_000, 3, 2),
    ("Đăng ký hoạt động của tổ chức hành nghề luật sư", P, Pa, 10 * D, 100_000, 4, 3),
    ("Đăng ký hoạt động của doanh nghiệp đấu giá tài sản", P, N, 10 * D, 1_000_000, 4, 1),
    ("Thành lập Văn phòng thừa phát lại", P, N, 20 * D, 0, 5, 1),
];

#[rustfmt::skip]
const NUOI_CON_NUOI: &[Entry] = &[
    ("Giải quyết việc người nước ngoài thường trú ở Việt Nam nhận trẻ em Việt Nam làm con nuôi", P, N, 60 * D, 9_000_000, 6, 1),
];

#[rustfmt::skip]
const QUOC_TICH: &[Entry] = &[
    ("Xác nhận có quốc tịch Việt Nam", P, Pa, 20 * D, 100_000, 3, 3),
    ("Cấp Giấy xác nhận là người gốc Việt Nam", P, Pa, 20 * D, 100_000, 3, 2),
    ("Thôi quốc tịch Việt Nam ở trong nước", P, N, 60 * D, 2_500_000, 4, 1),
];

#[rustfmt::skip]
const KINH_DOANH: &[Entry] = &[
    ("Đăng ký thành lập hộ kinh doanh", C, F, 3 * D, 100_000, 2, 300),
    ("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", C, F, 3 * D, 50_000, 2, 120),
    ("Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", C, F, 3 * D, 0, 1, 60),
    ("Chấm dứt hoạt động hộ kinh doanh", C, F, 3 * D, 0, 2, 60),
    ("Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", C, F, 3 * D, 0, 1, 15),
    ("Đăng ký thành lập hợp tác xã", C, Pa, 3 * D, 100_000, 5, 8),
    ("Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề sản xuất, kinh doanh của hợp tác xã", C, Pa, 3 * D, 50_000, 3, 4),
    ("Giải thể tự nguyện hợp tác xã", C, Pa, 5 * D, 0, 3, 2),
    ("Đăng ký thành lập doanh nghiệp tư nhân", P, F, 3 * D, 50_000, 2, 40),
    ("Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", P, F, 3 * D, 50_000, 4, 200),
    ("Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên", P, F, 3 * D, 50_000, 5, 100),
    ("Đăng ký thành lập công ty cổ phần", P, F, 3 * D, 50_000, 6, 80),
    ("Đăng ký thay đổi người đại diện theo pháp luật của công ty", P, F, 3 * D, 50_000, 3, 150),
    ("Đăng ký thay đổi vốn điều lệ", P, F, 3 * D, 50_000, 3, 120),
    ("Đăng ký thay đổi địa chỉ trụ sở chính của doanh nghiệp", P, F, 3 * D, 50_000, 3, 100),
    ("Thông báo bổ sung, thay đổi ngành, nghề kinh doanh", P, F, 3 * D, 50_000, 2, 130),
    ("Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của doanh nghiệp", P, F, 3 * D, 0, 1, 120),
    ("Giải thể doanh nghiệp", P, F, 5 * D, 0, 4, 60),
    ("Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh", P, F, 3 * D, 50_000, 3, 90),
    ("Cấp lại Giấy chứng nhận đăng ký doanh nghiệp", P, F, 3 * D, 50_000, 1, 15),
    ("Chuyển đổi công ty trách nhiệm hữu hạn thành công ty cổ phần", P, F, 3 * D, 50_000, 5, 10),
];

#[rustfmt::skip]
const XAY_DUNG: &[Entry] = &[
    ("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", C, Pa, 15 * D, 75_000, 5, 250),
    ("Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ", C, Pa, 15 * D, 75_000, 5, 60),
    ("Cấp giấy phép di dời đối với nhà ở riêng lẻ", C, Pa, 15 * D, 75_000, 4, 3),
    ("Điều chỉnh giấy phép xây dựng đối với nhà ở riêng lẻ", C, Pa, 15 * D, 15_000, 4, 15),
    ("Gia hạn giấy phép xây dựng đối với nhà ở riêng lẻ", C, F, 5 * D, 15_000, 2, 15),
    ("Cấp lại giấy phép xây dựng đối với nhà ở riêng lẻ", C, F, 5 * D, 15_000, 2, 5),
    ("Cấp giấy phép xây dựng có thời hạn đối với nhà ở riêng lẻ", C, Pa, 15 * D, 75_000, 5, 8),
    ("Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II", P, Pa, 20 * D, 150_000, 6, 15),
    ("Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng", P, Pa, 25 * D, 0, 6, 15),
    ("Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở", P, Pa, 30 * D, 0, 6, 12),
    ("Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", P, F, 10 * D, 150_000, 4, 40),
    ("Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III", P, F, 20 * D, 1_000_000, 5, 15),
    ("Kiểm tra công tác nghiệm thu hoàn thành công trình", P, N, 15 * D, 0, 5, 8),
    ("Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, cho thuê mua", P, Pa, 15 * D, 0, 4, 5),
    ("Cấp chứng chỉ hành nghề môi giới bất động sản", P, Pa, 10 * D, 0, 3, 6),
];

#[rustfmt::skip]
const BAO_TRO_XA_HOI: &[Entry] = &[
    ("Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng", C, Pa, 15 * D, 0, 3, 120),
    ("Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", C, Pa, 5 * D, 0, 2, 40),
    ("Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", C, Pa, 25 * D, 0, 3, 60),
    ("Đổi, cấp lại Giấy xác nhận khuyết tật", C, F, 5 * D, 0, 2, 15),
    ("Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở", C, N, 10 * D, 0, 2, 5),
    ("Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", C, Pa, 15 * D, 0, 2, 20),
    ("Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm", C, Pa, 15 * D, 0, 2, 12),
    ("Công nhận hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình", C, N, 15 * D, 0, 2, 6),
    ("Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế", C, N, 15 * D, 0, 3, 2),
    ("Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc người gây tổn hại cho trẻ em", C, N, HALF, 0, 1, 1),
    ("Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội", C, N, 10 * D, 0, 3, 2),
    ("Cấp giấy chứng nhận đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập", P, N, 10 * D, 0, 5, 1),
    ("Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội", P, N, 15 * D, 0, 5, 1),
];

#[rustfmt::skip]
const NGUOI_CO_CONG: &[Entry] = &[
    ("Giải quyết chế độ mai táng phí đối với cựu chiến binh", C, Pa, 10 * D, 0, 2, 20),
    ("Hỗ trợ người có công đi làm phương tiện, dụng cụ trợ giúp chỉnh hình", C, Pa, 10 * D, 0, 2, 5),
    ("Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ", C, F, 3 * D, 0, 1, 15),
    ("Giải quyết trợ cấp một lần đối với người có thành tích tham gia kháng chiến đã được tặng Bằng khen", C, Pa, 20 * D, 0, 2, 4),
    ("Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", C, Pa, 12 * D, 0, 3, 10),
    ("Cấp trích lục hoặc sao hồ sơ người có công với cách mạng", P, Pa, 10 * D, 0, 1, 8),
    ("Công nhận và giải quyết chế độ ưu đãi người hoạt động cách mạng", P, N, 30 * D, 0, 4, 2),
    ("Giải quyết chế độ ưu đãi đối với Bà mẹ Việt Nam anh hùng", P, N, 20 * D, 0, 3, 1),
    ("Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú", P, F, 5 * D, 0, 2, 6),
    ("Sửa đổi thông tin cá nhân trong hồ sơ người có công", P, Pa, 12 * D, 0, 2, 4),
    ("Giải quyết chế độ ưu đãi đối với thân nhân liệt sĩ", P, N, 20 * D, 0, 3, 3),
];

#[rustfmt::skip]
const LAO_DONG: &[Entry] = &[
    ("Giải quyết hưởng trợ cấp thất nghiệp", P, F, 20 * D, 0, 3, 300),
    ("Tạm dừng hưởng trợ cấp thất nghiệp", P, F, 3 * D, 0, 1, 40),
    ("Chấm dứt hưởng trợ cấp thất nghiệp", P, F, 3 * D, 0, 1, 50),
    ("Hỗ trợ học nghề đối với người đang hưởng trợ cấp thất nghiệp", P, Pa, 20 * D, 0, 2, 15),
    ("Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", P, F, 10 * D, 600_000, 5, 60),
    ("Cấp lại giấy phép lao động cho người lao động nước ngoài", P, F, 3 * D, 450_000, 3, 15),
    ("Gia hạn giấy phép lao động cho người lao động nước ngoài", P, F, 5 * D, 450_000, 4, 25),
    ("Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", P, F, 5 * D, 0, 3, 20),
    ("Đăng ký nội quy lao động của doanh nghiệp", P, Pa, 7 * D, 0, 2, 30),
    ("Đăng ký hợp đồng nhận lao động thực tập thời hạn dưới 90 ngày", P, Pa, 5 * D, 0, 3, 2),
    ("Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp", P, Pa, 7 * D, 0, 4, 1),
    ("Cấp giấy phép hoạt động cho thuê lại lao động", P, Pa, 20 * D, 0, 5, 1),
    ("Báo cáo giải trình nhu cầu, thay đổi nhu cầu sử dụng người lao động nước ngoài", P, F, 10 * D, 0, 2, 30),
];

#[rustfmt::skip]
const GIAO_DUC: &[Entry] = &[
    ("Chuyển trường đối với học sinh tiểu học", C, F, 3 * D, 0, 2, 60),
    ("Chuyển trường đối với học sinh trung học cơ sở", C, F, 3 * D, 0, 2, 50),
    ("Thành lập nhóm trẻ, lớp mẫu giáo độc lập", C, Pa, 15 * D, 0, 4, 3),
    ("Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục", C, Pa, 20 * D, 0, 4, 3),
    ("Cho phép trường mầm non, trường tiểu học, trường trung học cơ sở hoạt động giáo dục", C, Pa, 20 * D, 0, 5, 2),
    ("Hỗ trợ học tập đối với trẻ mẫu giáo, học sinh tiểu học, học sinh trung học cơ sở là người dân tộc thiểu số", C, Pa, 15 * D, 0, 2, 15),
    ("Xét, duyệt chính sách hỗ trợ đối với trẻ em mẫu giáo", C, Pa, 15 * D, 0, 2, 10),
    ("Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ", C, N, 20 * D, 0, 4, 1),
    ("Chuyển trường đối với học sinh trung học phổ thông", P, F, 3 * D, 0, 2, 30),
    ("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", P, F, D, 0, 1, 50),
    ("Chỉnh sửa nội dung văn bằng, chứng chỉ", P, Pa, 5 * D, 0, 3, 8),
    ("Công nhận văn bằng tốt nghiệp các cấp học phổ thông do cơ sở giáo dục nước ngoài cấp", P, F, 20 * D, 0, 3, 3),
    ("Phúc khảo bài thi tốt nghiệp trung học phổ thông", P, F, 15 * D, 0, 1, 20),
    ("Cho phép thành lập trung tâm ngoại ngữ, tin học", P, Pa, 20 * D, 0, 5, 2),
    ("Cấp phép hoạt động giáo dục kỹ năng sống và hoạt động giáo dục ngoài giờ chính khóa", P, Pa, 15 * D, 0, 4, 2),
    ("Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp", P, Pa, 10 * D, 0, 5, 2),
];

#[rustfmt::skip]
const Y_TE: &[Entry] = &[
    ("Cấp chứng chỉ hành nghề dược", P, F, 20 * D, 500_000, 4, 40),
    ("Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với nhà thuốc", P, Pa, 20 * D, 1_000_000, 5, 40),
    ("Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", P, Pa, 20 * D, 4_300_000, 6, 15),
    ("Cấp giấy phép hành nghề khám bệnh, chữa bệnh", P, F, 20 * D, 360_000, 4, 40),
    ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống", P, Pa, 15 * D, 700_000, 4, 30),
    ("Đăng ký bản công bố sản phẩm thực phẩm", P, F, 7 * D, 500_000, 3, 30),
    ("Cấp giấy xác nhận nội dung quảng cáo thực phẩm", P, F, 10 * D, 1_100_000, 3, 8),
    ("Cấp số tiếp nhận phiếu công bố sản phẩm mỹ phẩm", P, F, 3 * D, 500_000, 3, 20),
    ("Cấp giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm", P, Pa, 30 * D, 6_000_000, 5, 1),
    ("Cấp lại chứng chỉ hành nghề dược", P, F, 5 * D, 500_000, 2, 5),
    ("Công bố cơ sở đủ điều kiện thực hiện khám sức khỏe", P, Pa, 10 * D, 0, 3, 2),
    ("Xác nhận bản cam kết bảo đảm an toàn thực phẩm đối với cơ sở kinh doanh thức ăn đường phố", C, Pa, 5 * D, 0, 2, 20),
    ("Xét hưởng chính sách hỗ trợ cho đối tượng sinh con đúng chính sách dân số", C, Pa, 7 * D, 0, 2, 10),
];

#[rustfmt::skip]
const VAN_HOA: &[Entry] = &[
    ("Thông báo tổ chức lễ hội", C, F, 5 * D, 0, 2, 10),
    ("Đăng ký tổ chức lễ hội", C, Pa, 10 * D, 0, 3, 3),
    ("Xét tặng danh hiệu Gia đình văn hóa", C, N, 10 * D, 0, 1, 15),
    ("Xét tặng danh hiệu Thôn, tổ dân phố văn hóa", C, N, 10 * D, 0, 2, 3),
    ("Cấp giấy phép kinh doanh dịch vụ karaoke", C, Pa, 5 * D, 3_000_000, 4, 8),
    ("Công nhận câu lạc bộ thể thao cơ sở", C, N, 7 * D, 0, 3, 3),
    ("Thông báo thành lập thư viện đối với thư viện cộng đồng", C, Pa, 5 * D, 0, 2, 1),
    ("Cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao", P, Pa, 7 * D, 0, 4, 10),
    ("Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", P, Pa, 10 * D, 3_000_000, 4, 6),
    ("Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao", P, Pa, 30 * D, 2_000_000, 3, 4),
    ("Cấp thẻ hướng dẫn viên du lịch nội địa", P, F, 10 * D, 650_000, 3, 10),
    ("Cấp giấy phép tổ chức triển lãm", P, Pa, 7 * D, 0, 3, 2),
    ("Thông báo tổ chức biểu diễn nghệ thuật", P, F, 5 * D, 0, 2, 15),
];

#[rustfmt::skip]
const BAO_CHI: &[Entry] = &[
    ("Cấp giấy phép xuất bản bản tin", P, F, 10 * D, 0, 3, 2),
    ("Cấp giấy phép hoạt động in", P, Pa, 10 * D, 0, 4, 2),
    ("Cấp giấy xác nhận đăng ký hoạt động cơ sở in", P, F, 7 * D, 0, 3, 2),
    ("Cấp giấy phép xuất bản tài liệu không kinh doanh", P, F, 10 * D, 0, 3, 4),
    ("Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp", P, Pa, 10 * D, 0, 4, 2),
    ("Cấp giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng", C, Pa, 5 * D, 0, 3, 5),
];

#[rustfmt::skip]
const CONG_THUONG: &[Entry] = &[
    ("Cấp giấy phép bán lẻ rượu", C, F, 10 * D, 1_200_000, 3, 15),
    ("Cấp giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", C, Pa, 10 * D, 1_200_000, 3, 5),
    ("Cấp giấy phép bán lẻ sản phẩm thuốc lá", C, Pa, 15 * D, 1_200_000, 3, 8),
    ("Cấp sửa đổi, bổ sung giấy phép bán lẻ rượu", C, F, 7 * D, 600_000, 2, 2),
    ("Cấp lại giấy phép bán lẻ rượu", C, F, 7 * D, 600_000, 2, 2),
    ("Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", P, Pa, 20 * D, 1_200_000, 5, 6),
    ("Cấp giấy phép bán buôn rượu", P, Pa, 10 * D, 2_200_000, 4, 3),
    ("Đăng ký tổ chức hội chợ, triển lãm thương mại", P, F, 7 * D, 0, 2, 6),
    ("Đăng ký thực hiện khuyến mại", P, F, 5 * D, 0, 2, 60),
    ("Thông báo thực hiện khuyến mại", P, F, D, 0, 1, 150),
    ("Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài", P, Pa, 7 * D, 3_000_000, 5, 3),
    ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm thuộc lĩnh vực Công Thương", P, Pa, 20 * D, 2_500_000, 5, 5),
    ("Cấp giấy phép hoạt động điện lực", P, Pa, 15 * D, 800_000, 5, 3),
    ("Cấp Giấy phép kinh doanh cho tổ chức kinh tế có vốn đầu tư nước ngoài", P, Pa, 10 * D, 0, 5, 3),
];

#[rustfmt::skip]
const NONG_NGHIEP_MOI_TRUONG: &[Entry] = &[
    ("Đăng ký môi trường", C, F, 10 * D, 0, 2, 10),
    ("Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh", C, Pa, 10 * D, 0, 2, 12),
    ("Phê duyệt kế hoạch khuyến nông địa phương", C, N, 15 * D, 0, 2, 1),
    ("Xác nhận bảng kê lâm sản", C, Pa, 3 * D, 0, 2, 8),
    ("Đăng ký khai thác nước dưới đất", C, Pa, 10 * D, 0, 2, 5),
    ("Hỗ trợ đầu tư xây dựng phát triển thủy lợi nhỏ, thủy lợi nội đồng", C, N, 20 * D, 0, 4, 1),
    ("Cấp giấy phép môi trường", P, Pa, 30 * D, 0, 6, 10),
    ("Thẩm định báo cáo đánh giá tác động môi trường", P, Pa, 30 * D, 0, 6, 5),
    ("Cấp giấy phép khai thác, sử dụng nước mặt", P, Pa, 30 * D, 0, 5, 3),
    ("Cấp giấy phép khai thác khoáng sản", P, N, 45 * D, 0, 6, 1),
    ("Cấp giấy chứng nhận đăng ký tàu cá", P, Pa, 3 * D, 70_000, 4, 20),
    ("Cấp giấy phép khai thác thủy sản", P, Pa, 6 * D, 0, 3, 15),
    ("Kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh", P, Pa, D, 0, 2, 40),
    ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản", P, Pa, 15 * D, 700_000, 4, 15),
    ("Cấp giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật", P, Pa, 20 * D, 500_000, 4, 8),
    ("Cấp giấy chứng nhận đủ điều kiện buôn bán phân bón", P, Pa, 20 * D, 500_000, 4, 8),
    ("Công nhận làng nghề, làng nghề truyền thống", P, N, 30 * D, 0, 4, 1),
    ("Phê duyệt phương án trồng rừng thay thế", P, N, 20 * D, 0, 4, 1),
    ("Cấp chứng chỉ hành nghề thú y", P, F, 5 * D, 0, 3, 8),
];

#[rustfmt::skip]
const DUONG_BO: &[Entry] = &[
    ("Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", P, F, 5 * D, 135_000, 2, 500),
    ("Cấp lại giấy phép lái xe", P, F, 10 * D, 135_000, 2, 50),
    ("Cấp giấy phép lái xe quốc tế", P, F, 5 * D, 135_000, 2, 30),
    ("Cấp phù hiệu xe ô tô kinh doanh vận tải", P, F, 2 * D, 0, 2, 150),
    ("Cấp giấy phép kinh doanh vận tải bằng xe ô tô", P, F, 5 * D, 200_000, 3, 30),
    ("Cấp giấy phép thi công công trình trên đường bộ đang khai thác", P, Pa, 7 * D, 0, 3, 20),
    ("Đăng ký xe máy chuyên dùng lần đầu", P, Pa, 3 * D, 200_000, 3, 10),
    ("Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ", P, F, 2 * D, 0, 2, 30),
    ("Chấp thuận thiết kế kỹ thuật và phương án tổ chức giao thông của nút giao đấu nối vào quốc lộ", P, Pa, 10 * D, 0, 4, 2),
];

#[rustfmt::skip]
const DUONG_THUY: &[Entry] = &[
    ("Đăng ký phương tiện thủy nội địa lần đầu", C, Pa, 3 * D, 70_000, 3, 6),
];

#[rustfmt::skip]
const THI_DUA: &[Entry] = &[
    ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thực hiện nhiệm vụ chính trị", C, N, 20 * D, 0, 2, 20),
    ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho gia đình", C, N, 20 * D, 0, 2, 5),
    ("Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh về thành tích thực hiện nhiệm vụ chính trị", P, N, 20 * D, 0, 3, 15),
    ("Tặng danh hiệu Tập thể lao động xuất sắc", P, N, 20 * D, 0, 3, 5),
];

#[rustfmt::skip]
const TON_GIAO: &[Entry] = &[
    ("Đăng ký hoạt động tín ngưỡng", C, Pa, 15 * D, 0, 2, 3),
    ("Đăng ký sinh hoạt tôn giáo tập trung", C, Pa, 20 * D, 0, 3, 2),
    ("Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã", C, F, 10 * D, 0, 2, 3),
    ("Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký", C, Pa, 10 * D, 0, 2, 3),
    ("Thông báo tổ chức quyên góp trong địa bàn một xã của cơ sở tín ngưỡng, tổ chức tôn giáo", C, Pa, 5 * D, 0, 2, 2),
    ("Đăng ký người được bổ nhiệm, bầu cử, suy cử làm chức việc", P, Pa, 20 * D, 0, 3, 1),
    ("Cấp đăng ký pháp nhân phi thương mại cho tổ chức tôn giáo trực thuộc", P, N, 30 * D, 0, 4, 1),
];

#[rustfmt::skip]
const NOI_VU: &[Entry] = &[
    ("Công nhận người có uy tín trong đồng bào dân tộc thiểu số", C, N, 15 * D, 0, 2, 2),
    ("Công nhận ban vận động thành lập hội", P, Pa, 15 * D, 0, 3, 1),
    ("Phê duyệt điều lệ hội", P, Pa, 30 * D, 0, 4, 1),
    ("Cho phép thành lập hội có phạm vi hoạt động trong tỉnh", P, Pa, 30 * D, 0, 5, 1),
    ("Cấp giấy phép thành lập và công nhận điều lệ quỹ xã hội, quỹ từ thiện", P, Pa, 30 * D, 0, 5, 1),
    ("Thẩm định việc thành lập đơn vị sự nghiệp công lập", P, N, 30 * D, 0, 5, 1),
];

#[rustfmt::skip]
const DAU_TU_TAI_CHINH: &[Entry] = &[
    ("Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh", P, Pa, 35 * D, 0, 6, 5),
    ("Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư", P, F, 15 * D, 0, 5, 8),
    ("Điều chỉnh Giấy chứng nhận đăng ký đầu tư", P, F, 10 * D, 0, 4, 10),
    ("Gia hạn thời hạn hoạt động của dự án đầu tư", P, Pa, 25 * D, 0, 4, 2),
    ("Thẩm tra, phê duyệt quyết toán dự án hoàn thành sử dụng vốn đầu tư công", P, N, 45 * D, 0, 6, 3),
    ("Thẩm tra, phê duyệt quyết toán dự án hoàn thành do cấp xã quản lý", C, N, 30 * D, 0, 5, 2),
    ("Đăng ký mã số đơn vị có quan hệ với ngân sách", CP, F, 2 * D, 0, 2, 15),
    ("Xác lập quyền sở hữu toàn dân đối với tài sản", P, N, 30 * D, 0, 3, 1),
];

#[rustfmt::skip]
const KHOA_HOC: &[Entry] = &[
    ("Cấp giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán trong y tế", P, Pa, 15 * D, 0, 5, 3),
    ("Cấp chứng chỉ nhân viên bức xạ", P, Pa, 10 * D, 0, 3, 2),
    ("Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ", P, F, 10 * D, 0, 3, 2),
    ("Cấp giấy chứng nhận doanh nghiệp khoa học và công nghệ", P, Pa, 7 * D, 0, 4, 1),
    ("Đăng ký công bố hợp chuẩn", P, F, 5 * D, 150_000, 3, 15),
    ("Đăng ký công bố hợp quy", P, F, 5 * D, 150_000, 3, 15),
];

#[rustfmt::skip]
const THANH_TRA: &[Entry] = &[
    ("Giải quyết khiếu nại lần đầu tại cấp xã", C, N, 30 * D, 0, 2, 10),
    ("Giải quyết tố cáo tại cấp xã", C, N, 30 * D, 0, 2, 4),
    ("Giải quyết khiếu nại lần đầu tại cấp tỉnh", P, N, 30 * D, 0, 2, 4),
];

/// The fields, in the order their codes are numbered.
const FIELDS: &[(&str, &[Entry])] = &[
    ("Hộ tịch", HO_TICH),
    ("Chứng thực", CHUNG_THUC),
    ("Đất đai", DAT_DAI),
    ("Tư pháp", TU_PHAP),
    ("Nuôi con nuôi", NUOI_CON_NUOI),
    ("Quốc tịch", QUOC_TICH),
    ("Kinh doanh", KINH_DOANH),
    ("Xây dựng", XAY_DUNG),
    ("Bảo trợ xã hội", BAO_TRO_XA_HOI),
    ("Người có công", NGUOI_CO_CONG),
    ("Lao động, việc làm", LAO_DONG),
    ("Giáo dục và Đào tạo", GIAO_DUC),
    ("Y tế", Y_TE),
    ("Văn hóa, thể thao và du lịch", VAN_HOA),
    ("Báo chí, xuất bản", BAO_CHI),
    ("Công Thương", CONG_THUONG),
    ("Nông nghiệp và Môi trường", NONG_NGHIEP_MOI_TRUONG),
    ("Đường bộ", DUONG_BO),
    ("Đường thủy nội địa", DUONG_THUY),
    ("Thi đua, khen thưởng", THI_DUA),
    ("Tín ngưỡng, tôn giáo", TON_GIAO),
    ("Nội vụ", NOI_VU),
    ("Đầu tư, tài chính", DAU_TU_TAI_CHINH),
    ("Khoa học và Công nghệ", KHOA_HOC),
    ("Thanh tra", THANH_TRA),
];

/// A procedure of the catalogue with how many dossiers it draws.
#[derive(Debug, Clone)]
pub struct Listed {
    pub procedure: Procedure,
    /// Popularity: dossiers drawn relative to the other procedures of the same level.
    pub weight: u64,
}

/// The catalogue, in field order. Procedures done within half a day or a day follow the
/// 15:00 cut-off (received after 15:00, counted from the next working day), as the
/// certification and civil-status procedures do.
pub fn catalogue() -> Vec<Listed> {
    let mut out = Vec::new();
    for (f, (field, entries)) in FIELDS.iter().enumerate() {
        for (i, &(name, by, online, days, fee, components, weight)) in entries.iter().enumerate() {
            let offered_by = match by {
                C => vec![Offerer::Kind(UnitKind::Commune)],
                P => vec![Offerer::Kind(UnitKind::Province)],
                CP => vec![
                    Offerer::Kind(UnitKind::Commune),
                    Offerer::Kind(UnitKind::Province),
                ],
            };
            let code = format!("9.{:02}{:04}", f + 1, i + 1);
            // The text is made of digits and a dot: always a valid code.
            let Some(code) = ProcedureCode::parse(&code) else {
                continue;
            };
            out.push(Listed {
                procedure: Procedure {
                    code,
                    name: name.to_owned(),
                    field: (*field).to_owned(),
                    offered_by,
                    online_level: online,
                    processing_days: ProcessingDays::from_thousandths(days),
                    fee_vnd: fee,
                    components,
                    component_list: Vec::new(),
                    cutoff_15h: days <= D,
                    steps: Vec::new(),
                    how_to_submit: None,
                },
                weight: u64::from(weight),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_sound() {
        let c = catalogue();
        assert!((200..=400).contains(&c.len()), "{} procedures", c.len());
        let mut codes: Vec<&str> = c.iter().map(|l| l.procedure.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), c.len(), "codes are unique");
        for l in &c {
            let p = &l.procedure;
            assert!((1..=6).contains(&p.components), "{}", p.name);
            assert!(l.weight > 0 && p.fee_vnd >= 0, "{}", p.name);
            assert!(p.processing_days.thousandths() > 0, "{}", p.name);
        }
    }
}
