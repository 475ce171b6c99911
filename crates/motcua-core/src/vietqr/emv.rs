//! EMVCo TLV: a 2-digit ID, a 2-digit decimal length (in characters), the value; and the
//! payload's CRC.

/// CRC-16/CCITT-FALSE (CRC-16/IBM-3740: poly 0x1021, init 0xFFFF, no reflection, no xorout)
/// of `data`; the payload's CRC covers every byte up to and including `6304`.
pub fn crc16(data: &[u8]) -> u16 {
    crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740).checksum(data)
}

/// Appends one TLV object; `value` is printable ASCII of at most 99 characters (the callers
/// build only such values).
pub(super) fn push(out: &mut String, tag: &str, value: &str) {
    debug_assert!(value.len() < 100 && value.is_ascii());
    out.push_str(tag);
    out.push_str(&format!("{:02}", value.len()));
    out.push_str(value);
}

/// The objects of one template, in order: (ID, value). `None` when the text is not a
/// sequence of well-formed objects.
pub(super) fn objects(text: &str) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let id = rest.get(..2)?;
        let len: usize = rest.get(2..4)?.parse().ok()?;
        if !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value = rest.get(4..4 + len)?;
        out.push((id, value));
        rest = &rest[4 + len..];
    }
    Some(out)
}
