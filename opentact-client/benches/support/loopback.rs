//! Reading requests on a keep-alive HTTP/1.1 connection: the one piece the loopback servers of
//! the call benchmark and of the load test (`tests/tests/it/load_faults.rs`, which includes
//! this file) share. Not in `support/mod.rs`, which the decode comparison crate builds without
//! tokio.

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Reads the next request (head and `Content-Length` body) from `socket`, buffering in
/// `buffer`, and removes it from the buffer. Returns its head in lowercase, or `None` once the
/// client has closed the connection.
pub async fn next_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<Option<String>> {
    let header_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if socket.read_buf(buffer).await? == 0 {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    while buffer.len() < header_end + length {
        if socket.read_buf(buffer).await? == 0 {
            return Ok(None);
        }
    }
    buffer.drain(..header_end + length);
    Ok(Some(head))
}
