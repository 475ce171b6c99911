//! The fixture with the public portal's added catalogue columns filled in (the desk's
//! address and telephone of Hồ Xá, the steps, the way to submit and a downloadable form of
//! the birth registration), shared by the web tests and the browser's walk of the portal.

use motcua_store::SqlStore;

use super::{Error, loaded};

pub const UNITS: &str = "code,name,short_name,kind,label,parent_code,address,phone
ho-xa,UBND thị trấn Hồ Xá,Hồ Xá,commune,thị trấn,vinh-linh,\"Số 10 Lê Duẩn, khu phố 3, thị trấn Hồ Xá\",0233 3824 123
";
pub const PROCEDURES: &str = "code,name,field,offered_by,online_level,processing_days,fee_vnd,components,steps,how_to_submit
1.001193,Đăng ký khai sinh,Hộ tịch,commune,full,1,0,2,Chuẩn bị tờ khai và giấy chứng sinh | Nộp tại Bộ phận Một cửa hoặc trực tuyến | Nhận giấy khai sinh,Nộp trực tiếp tại Bộ phận Một cửa UBND cấp xã hoặc trực tuyến trên Cổng dịch vụ công
";
pub const COMPONENTS: &str = "procedure_code,position,name,originals,copies,template_url
1.001193,1,Tờ khai đăng ký khai sinh theo mẫu,1,0,https://dichvucong.gov.vn/mau/to-khai-khai-sinh.docx
1.001193,2,Giấy chứng sinh,1,0,
";

/// The fixture with the portal's columns filled in for Hồ Xá and the birth registration.
pub async fn portal(url: &str) -> Result<SqlStore, Error> {
    let store = loaded(url).await?;
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("units.csv"), UNITS)?;
    std::fs::write(dir.path().join("procedures.csv"), PROCEDURES)?;
    std::fs::write(dir.path().join("procedure_components.csv"), COMPONENTS)?;
    let ctx = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
    motcua_app::import_dir(&store, dir.path(), &ctx).await?;
    Ok(store)
}
