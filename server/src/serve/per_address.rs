//! Connections per client address, so one laptop (or one script) cannot hold every
//! connection the server has and lock the rest of the room out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Open connections by client address.
#[derive(Clone, Default)]
pub(super) struct PerAddress {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One connection's place among its address's; given back when dropped.
pub(super) struct AddressSlot {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    addr: IpAddr,
}

impl PerAddress {
    /// A place for one more connection from `addr`, unless it holds `most` already.
    pub(super) fn take(&self, addr: IpAddr, most: usize) -> Option<AddressSlot> {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(addr).or_insert(0);
        if *n >= most {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            open: self.open.clone(),
            addr,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.addr) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.addr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_most_and_its_places_come_back() {
        let per = PerAddress::default();
        let a: IpAddr = [127, 0, 0, 1].into();
        let b: IpAddr = [127, 0, 0, 2].into();
        let first = per.take(a, 2).unwrap();
        let _second = per.take(a, 2).unwrap();
        assert!(per.take(a, 2).is_none());
        assert!(per.take(b, 2).is_some());
        drop(first);
        assert!(per.take(a, 2).is_some());
    }
}
