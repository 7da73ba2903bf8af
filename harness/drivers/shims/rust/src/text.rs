// PostgreSQL's text output for values tokio-postgres receives in binary. tokio-postgres 0.7
// asks for every result column in binary format (Bind's result format code 1), with no way to
// ask for text; poolcheck compares every driver's values as the server's text, so the helper
// prints the binary values of the common built-in types as PostgreSQL's output functions do.
// Types whose text depends on session settings (dates and times: DateStyle, TimeZone,
// IntervalStyle) or on catalogs (regclass, enums) are not printed: the query fails, saying so.
// Binary formats: the *send functions of PostgreSQL's src/backend/utils/adt.
use std::fmt::Write;
use tokio_postgres::types::{Kind, Type};

fn be_i16(b: &[u8], at: usize) -> Result<i16, String> {
    b.get(at..at + 2).map(|s| i16::from_be_bytes([s[0], s[1]])).ok_or_else(short)
}
fn be_i32(b: &[u8], at: usize) -> Result<i32, String> {
    b.get(at..at + 4).map(|s| i32::from_be_bytes([s[0], s[1], s[2], s[3]])).ok_or_else(short)
}
fn be_i64(b: &[u8], at: usize) -> Result<i64, String> {
    b.get(at..at + 8).map(|s| i64::from_be_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])).ok_or_else(short)
}
fn short() -> String {
    "a binary value shorter than its type".into()
}

/// The text PostgreSQL would have sent for this binary value of type `ty`.
pub fn to_text(ty: &Type, raw: &[u8]) -> Result<String, String> {
    // _record (an array of anonymous rows) is a pseudo-type to tokio-postgres, not an array.
    if matches!(ty.kind(), Kind::Array(_)) || ty.oid() == 2287 {
        return array(raw);
    }
    if let Kind::Composite(_) = ty.kind() {
        return record(raw);
    }
    match ty.oid() {
        16 => Ok(if raw.first() == Some(&1) { "t" } else { "f" }.into()),
        21 => Ok(be_i16(raw, 0)?.to_string()),
        23 => Ok(be_i32(raw, 0)?.to_string()),
        20 => Ok(be_i64(raw, 0)?.to_string()),
        // oid, xid, cid: unsigned 32-bit
        26 | 28 | 29 => Ok((be_i32(raw, 0)? as u32).to_string()),
        700 => Ok(float_text(f64::from(f32::from_bits(be_i32(raw, 0)? as u32)), 6, &format!("{:e}", f32::from_bits(be_i32(raw, 0)? as u32)))),
        701 => {
            let v = f64::from_bits(be_i64(raw, 0)? as u64);
            Ok(float_text(v, 15, &format!("{:e}", v)))
        }
        1700 => numeric(raw),
        // text, varchar, bpchar, name, unknown, json, xml, "char": the text itself
        25 | 1043 | 1042 | 19 | 705 | 114 | 142 | 18 => Ok(String::from_utf8_lossy(raw).into_owned()),
        // jsonb: a version byte (1), then the text
        3802 => Ok(String::from_utf8_lossy(raw.get(1..).unwrap_or(&[])).into_owned()),
        17 => {
            let mut s = String::from("\\x");
            for b in raw {
                let _ = write!(s, "{:02x}", b);
            }
            Ok(s)
        }
        2950 => uuid(raw),
        // void: nothing
        2278 => Ok(String::new()),
        // record
        2249 => record(raw),
        // tid: (block, offset)
        27 => Ok(format!("({},{})", be_i32(raw, 0)? as u32, be_i16(raw, 4)? as u16)),
        // pg_lsn
        3220 => {
            let v = be_i64(raw, 0)? as u64;
            Ok(format!("{:X}/{:X}", v >> 32, v & 0xffff_ffff))
        }
        _ => Err(format!("tokio-postgres returns {} (oid {}) in binary and the helper has no text form for it", ty.name(), ty.oid())),
    }
}

fn uuid(raw: &[u8]) -> Result<String, String> {
    if raw.len() != 16 {
        return Err(short());
    }
    let hex: String = raw.iter().map(|b| format!("{:02x}", b)).collect();
    Ok(format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]))
}

/// float4out/float8out with extra_float_digits > 0 (the default since PostgreSQL 12): the
/// shortest decimal that reads back exactly, fixed-point for decimal exponents from -4 to
/// below `fixed_below` (15 for float8, 6 for float4), exponent notation otherwise. `sci` is
/// Rust's shortest form in exponent notation ("1.5e-5"), which has the same digits.
fn float_text(v: f64, fixed_below: i32, sci: &str) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let (neg, body) = match sci.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, sci),
    };
    let (mantissa, exp) = body.split_once('e').unwrap_or((body, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if v == 0.0 {
        out.push('0');
        return out;
    }
    if (-4..fixed_below).contains(&exp) {
        if exp >= 0 {
            let int_len = (exp + 1) as usize;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.push_str(&"0".repeat(int_len - digits.len()));
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    out
}

/// numeric_send: digit count, weight of the first digit, sign, display scale, then base-10000 digits.
fn numeric(raw: &[u8]) -> Result<String, String> {
    let ndigits = be_i16(raw, 0)? as i32;
    let weight = be_i16(raw, 2)? as i32;
    let sign = be_i16(raw, 4)? as u16;
    let dscale = be_i16(raw, 6)? as usize;
    match sign {
        0xC000 => return Ok("NaN".into()),
        0xD000 => return Ok("Infinity".into()),
        0xF000 => return Ok("-Infinity".into()),
        _ => {}
    }
    let mut digits = Vec::with_capacity(ndigits as usize);
    for i in 0..ndigits {
        digits.push(be_i16(raw, 8 + 2 * i as usize)? as i32);
    }
    let digit = |i: i32| if i >= 0 && i < ndigits { digits[i as usize] } else { 0 };
    let mut s = String::new();
    if sign == 0x4000 {
        s.push('-');
    }
    if weight < 0 {
        s.push('0');
    } else {
        for k in 0..=weight {
            let _ = if k == 0 { write!(s, "{}", digit(k)) } else { write!(s, "{:04}", digit(k)) };
        }
    }
    if dscale > 0 {
        let mut frac = String::new();
        let mut j = 1;
        while frac.len() < dscale {
            let _ = write!(frac, "{:04}", digit(weight + j));
            j += 1;
        }
        frac.truncate(dscale);
        s.push('.');
        s.push_str(&frac);
    }
    Ok(s)
}

fn element_type(oid: u32) -> Result<Type, String> {
    Type::from_oid(oid).ok_or_else(|| format!("an element of type oid {} the helper does not know", oid))
}

/// array_send: dimensions, a null flag, the element type, (length, lower bound) per dimension,
/// then every element as a length (-1: NULL) and its binary value.
fn array(raw: &[u8]) -> Result<String, String> {
    let ndim = be_i32(raw, 0)? as usize;
    let ty = element_type(be_i32(raw, 8)? as u32)?;
    if ndim == 0 {
        return Ok("{}".into());
    }
    let mut dims = Vec::with_capacity(ndim);
    for d in 0..ndim {
        dims.push((be_i32(raw, 12 + 8 * d)? as usize, be_i32(raw, 16 + 8 * d)?));
    }
    let mut at = 12 + 8 * ndim;
    let mut items = Vec::new();
    let total: usize = dims.iter().map(|(n, _)| *n).product();
    for _ in 0..total {
        let len = be_i32(raw, at)?;
        at += 4;
        if len < 0 {
            items.push(None);
        } else {
            let bytes = raw.get(at..at + len as usize).ok_or_else(short)?;
            items.push(Some(to_text(&ty, bytes)?));
            at += len as usize;
        }
    }
    let mut out = String::new();
    // array_out writes the bounds only when one of them is not 1.
    if dims.iter().any(|(_, lb)| *lb != 1) {
        for (n, lb) in &dims {
            let _ = write!(out, "[{}:{}]", lb, lb + *n as i32 - 1);
        }
        out.push('=');
    }
    let mut next = 0;
    nest(&dims, 0, &items, &mut next, &mut out);
    Ok(out)
}

fn nest(dims: &[(usize, i32)], d: usize, items: &[Option<String>], next: &mut usize, out: &mut String) {
    out.push('{');
    for i in 0..dims[d].0 {
        if i > 0 {
            out.push(',');
        }
        if d + 1 < dims.len() {
            nest(dims, d + 1, items, next, out);
        } else {
            match &items[*next] {
                None => out.push_str("NULL"),
                Some(v) => out.push_str(&array_item(v)),
            }
            *next += 1;
        }
    }
    out.push('}');
}

/// array_out quotes an element that is empty, reads as NULL, or holds a brace, quote,
/// backslash, comma or white space; inside quotes, quote and backslash take a backslash.
fn array_item(v: &str) -> String {
    let needs = v.is_empty() || v.eq_ignore_ascii_case("NULL") || v.chars().any(|c| "{}\",\\".contains(c) || c.is_ascii_whitespace() || c == '\x0b');
    if !needs {
        return v.to_string();
    }
    let mut s = String::from("\"");
    for c in v.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// record_send: the field count, then per field its type oid, length (-1: NULL) and value.
fn record(raw: &[u8]) -> Result<String, String> {
    let n = be_i32(raw, 0)?;
    let mut at = 4;
    let mut out = String::from("(");
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let oid = be_i32(raw, at)? as u32;
        let len = be_i32(raw, at + 4)?;
        at += 8;
        if len < 0 {
            continue;
        }
        let bytes = raw.get(at..at + len as usize).ok_or_else(short)?;
        at += len as usize;
        out.push_str(&record_item(&to_text(&element_type(oid)?, bytes)?));
    }
    out.push(')');
    Ok(out)
}

/// record_out quotes a field that is empty or holds a parenthesis, comma, quote, backslash or
/// white space; inside quotes, quote and backslash are doubled.
fn record_item(v: &str) -> String {
    let needs = v.is_empty() || v.chars().any(|c| "(),\"\\".contains(c) || c.is_ascii_whitespace() || c == '\x0b');
    if !needs {
        return v.to_string();
    }
    let mut s = String::from("\"");
    for c in v.chars() {
        if c == '"' || c == '\\' {
            s.push(c);
        }
        s.push(c);
    }
    s.push('"');
    s
}
