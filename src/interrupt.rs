//! Stopping cleanly on SIGINT and SIGTERM.
//!
//! A revoke command that was started must have its outcome recorded, or the next pass
//! cannot tell whether access ended. So while revocations run, the first SIGINT or
//! SIGTERM only sets a flag: no new revocation starts, those running finish and are
//! recorded, and the command reports that it was interrupted. A second signal ends the
//! process at once, as the default action would have.
//!
//! Revoke commands run in their own process group, so a terminal's Ctrl-C reaches only
//! opal-jira, never them.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Whether SIGINT or SIGTERM arrived since [`install`].
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Catches SIGINT and SIGTERM from now on (see the module notes).
#[cfg(unix)]
pub fn install() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: the sigaction struct is zeroed, then filled with a handler that only
        // touches an atomic and async-signal-safe libc calls. SA_RESTART keeps the
        // blocking calls of the main thread (waiting for children) from failing.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(signal, &action, std::ptr::null_mut()) != 0 {
                log::warn!("cannot catch signal {signal}; an interrupt will stop at once");
            }
        }
    }
}

#[cfg(not(unix))]
pub fn install() {}

#[cfg(unix)]
extern "C" fn on_signal(signal: libc::c_int) {
    if REQUESTED.swap(true, Ordering::SeqCst) {
        // SAFETY: signal(2) and raise(3) are async-signal-safe.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}
