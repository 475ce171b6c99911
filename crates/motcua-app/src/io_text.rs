//! Why a file could not be read or written, in Vietnamese: the operating system's reason
//! (`No such file or directory (os error 2)`) as the rest of the messages read.

use std::io::{Error, ErrorKind};

/// The reason of an input/output error, in Vietnamese.
pub fn reason(e: &Error) -> String {
    let text = match e.kind() {
        ErrorKind::NotFound => "không tồn tại",
        ErrorKind::PermissionDenied => "không có quyền truy cập",
        ErrorKind::AlreadyExists => "đã có",
        ErrorKind::NotADirectory => "một phần của đường dẫn không phải là thư mục",
        ErrorKind::IsADirectory => "là một thư mục, không phải một tệp",
        ErrorKind::DirectoryNotEmpty => "thư mục không trống",
        ErrorKind::ReadOnlyFilesystem => "nằm trên hệ thống tệp chỉ đọc",
        ErrorKind::StorageFull => "ổ đĩa đã đầy",
        ErrorKind::QuotaExceeded => "đã vượt hạn mức dung lượng",
        ErrorKind::FileTooLarge => "tệp quá lớn",
        ErrorKind::InvalidFilename => "tên tệp không hợp lệ",
        ErrorKind::InvalidData => "nội dung không phải văn bản UTF-8 hợp lệ",
        ErrorKind::UnexpectedEof => "tệp kết thúc giữa chừng",
        ErrorKind::Interrupted => "bị ngắt giữa chừng",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("lỗi hệ điều hành mã {code}"),
                None => format!("lỗi vào/ra ({:?})", e.kind()),
            };
        }
    };
    text.to_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_in_vietnamese() {
        let missing = std::fs::read("/không/có/tệp/này").unwrap_err();
        assert_eq!(reason(&missing), "không tồn tại");
        assert_eq!(
            reason(&Error::from_raw_os_error(20)),
            "một phần của đường dẫn không phải là thư mục"
        );
        assert_eq!(
            reason(&Error::from_raw_os_error(9999)),
            "lỗi hệ điều hành mã 9999"
        );
    }
}
