//! A connection's socket as hyper sees it, shared with the task that serves it.
//!
//! hyper answers the requests it cannot parse by itself (400, 414, 431) with an empty
//! body, and closes a connection whose headers do not arrive in time without a word.
//! [`ConnIo`] lets both reach the client in the one error envelope: it puts the
//! envelope in place of hyper's empty answer as it is written, and it remembers
//! whether a request had begun to arrive, so the serving task can answer a header
//! timeout with a 408 on the same socket ([`ConnIo::request_begun`]) while an idle
//! kept-alive connection is closed quietly.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::answers;

/// The socket, read and written through `&TcpStream`, so the serving task keeps a
/// handle of its own.
pub(super) struct ConnIo {
    stream: Arc<TcpStream>,
    begun: Arc<AtomicBool>,
    /// An envelope written in place of hyper's empty answer: its bytes, how many are
    /// out, and the length of hyper's buffer to report once they all are.
    replacing: Option<(Vec<u8>, usize, usize)>,
}

impl ConnIo {
    pub(super) fn new(stream: Arc<TcpStream>) -> Self {
        Self {
            stream,
            begun: Arc::new(AtomicBool::new(false)),
            replacing: None,
        }
    }

    /// True while bytes of a request have arrived and no answer has gone out.
    pub(super) fn request_begun(&self) -> Arc<AtomicBool> {
        self.begun.clone()
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            ready!(self.stream.poll_read_ready(cx))?;
            match self.stream.try_read(buf.initialize_unfilled()) {
                Ok(n) => {
                    buf.advance(n);
                    if n > 0 {
                        self.begun.store(true, Ordering::Relaxed);
                    }
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl ConnIo {
    fn poll_write_all_replacing(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        while let Some((bytes, sent, reported)) = &mut self.replacing {
            if *sent == bytes.len() {
                let reported = *reported;
                self.replacing = None;
                return Poll::Ready(Ok(reported));
            }
            ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write(&bytes[*sent..]) {
                Ok(n) => *sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
        Poll::Ready(Ok(0))
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.begun.store(false, Ordering::Relaxed);
        if self.replacing.is_none()
            && let Some(envelope) = answers::in_envelope(buf)
        {
            self.replacing = Some((envelope, 0, buf.len()));
        }
        if self.replacing.is_some() {
            return self.poll_write_all_replacing(cx);
        }
        loop {
            ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write(buf) {
                Ok(n) => return Poll::Ready(Ok(n)),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(answers::shutdown_write(&self.stream))
    }
}
