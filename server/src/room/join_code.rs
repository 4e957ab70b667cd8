//! Join codes: a few letters that cannot be misread, read aloud or typed from a
//! projector.

use bulbwatch_api::{JOIN_CODE_ALPHABET, JOIN_CODE_LEN};

use crate::error::AppError;

/// A fresh random code of `JOIN_CODE_LEN` letters of `JOIN_CODE_ALPHABET`.
pub fn new_join_code() -> Result<String, AppError> {
    let letters = JOIN_CODE_ALPHABET.as_bytes();
    let mut bytes = [0u8; JOIN_CODE_LEN];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal("making a join code", e))?;
    // 256 is a multiple of the alphabet's 16 letters: every letter is as likely.
    Ok(bytes
        .iter()
        .map(|b| char::from(letters[usize::from(*b) % letters.len()]))
        .collect())
}

/// A typed code as stored: upper case, without spaces and dashes.
pub fn normalise_join_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// A code the facilitator chose, checked.
pub fn validate(typed: &str) -> Result<String, AppError> {
    let code = normalise_join_code(typed);
    let len = code.chars().count();
    if !(4..=12).contains(&len) {
        return Err(AppError::Invalid(format!(
            "a join code must be 4–12 letters, got {len}"
        )));
    }
    if let Some(bad) = code.chars().find(|c| !JOIN_CODE_ALPHABET.contains(*c)) {
        return Err(AppError::Invalid(format!(
            "a join code uses only the letters {JOIN_CODE_ALPHABET} (none that can be misread), got {bad:?}"
        )));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_unmistakable_letters() {
        for _ in 0..50 {
            let code = new_join_code().unwrap();
            assert_eq!(code.len(), JOIN_CODE_LEN);
            assert!(
                code.chars().all(|c| JOIN_CODE_ALPHABET.contains(c)),
                "{code}"
            );
            assert_eq!(validate(&code).unwrap(), code);
        }
    }

    #[test]
    fn typed_codes_are_forgiving_but_checked() {
        assert_eq!(normalise_join_code(" acd-efh "), "ACDEFH");
        assert_eq!(validate("kmn prt").unwrap(), "KMNPRT");
        assert!(validate("ABC").unwrap_err().to_string().contains("4–12"));
        assert!(
            validate("HELLO1")
                .unwrap_err()
                .to_string()
                .contains("misread")
        );
    }
}
