//! A connection's socket as hyper sees it.
//!
//! hyper answers the requests it cannot parse by itself (400, 414, 431) with an empty
//! body, and closes a connection whose headers do not arrive in time without a word.
//! [`ConnIo`] lets both reach the client in the one error envelope: it puts the
//! envelope in place of hyper's empty answer as it is written, and when hyper lets
//! the connection go while a request had begun to arrive and nothing was answered
//! (its headers timed out), it writes a 408 on its way out. An idle kept-alive
//! connection (nothing arrived since the last answer) is closed quietly.
//!
//! Reads and writes go straight to tokio's `TcpStream`; the 408 is one non-blocking
//! write of a few hundred bytes into an empty send buffer.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::answers;

/// The socket, with what the connection layer needs to answer for hyper.
pub(super) struct ConnIo {
    stream: TcpStream,
    /// Bytes of a request have arrived and no answer has gone out yet.
    begun: bool,
    /// Nothing has been read yet (the first bytes tell HTTP/2 apart).
    fresh: bool,
    /// The client speaks HTTP/2 (prior knowledge): no HTTP/1.1 answer of ours fits.
    http2: bool,
    /// The header timeout, for the 408's message.
    header_timeout: Duration,
    /// An envelope written in place of hyper's empty answer: its bytes, how many are
    /// out, and the length of hyper's buffer to report once they all are.
    replacing: Option<(Vec<u8>, usize, usize)>,
}

impl ConnIo {
    pub(super) fn new(stream: TcpStream, header_timeout: Duration) -> Self {
        Self {
            stream,
            begun: false,
            fresh: true,
            http2: false,
            header_timeout,
            replacing: None,
        }
    }

    /// Whether an envelope is (now) being written in place of `buf`, hyper's answer.
    fn replacing(&mut self, buf: &[u8]) -> bool {
        if self.replacing.is_none()
            && let Some(envelope) = answers::in_envelope(buf)
        {
            self.replacing = Some((envelope, 0, buf.len()));
        }
        self.replacing.is_some()
    }

    fn poll_write_replacing(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        while let Some((bytes, sent, reported)) = &mut self.replacing {
            if *sent == bytes.len() {
                let reported = *reported;
                self.replacing = None;
                return Poll::Ready(Ok(reported));
            }
            let n = ready!(Pin::new(&mut self.stream).poll_write(cx, &bytes[*sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *sent += n;
        }
        Poll::Ready(Ok(0))
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.stream).poll_read(cx, buf))?;
        if buf.filled().len() > before {
            self.begun = true;
            if self.fresh {
                self.fresh = false;
                self.http2 = buf.filled()[before..].starts_with(b"PRI * HTTP/2");
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.begun = false;
        if self.replacing(buf) {
            return self.poll_write_replacing(cx);
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.begun = false;
        // hyper's own answers are one buffer: the head, nothing after it.
        let first = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &b[..]);
        if self.replacing(first) {
            return self.poll_write_replacing(cx);
        }
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

impl Drop for ConnIo {
    fn drop(&mut self) {
        if self.begun && !self.http2 {
            // hyper let go of a request it never answered: its headers did not all
            // arrive in time (or the server is stopping). Best effort, never waits.
            let _ = self
                .stream
                .try_write(&answers::header_timeout(self.header_timeout));
        }
    }
}
