//! The open-file limit: every connection is a file descriptor, so a hall of open pages
//! needs more than the 1,024 many systems start a process with.

/// Raises this process's soft open-file limit to its hard limit where the system
/// allows, and answers the limit now in force (`None` where there is no such limit).
pub fn raise_open_file_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(_) => rlimit::getrlimit(rlimit::Resource::NOFILE)
            .ok()
            .map(|(soft, _)| soft),
    }
}
