//! Names that become file names or AWS resource names are validated once, at
//! the edge (clap value parsers), so nothing downstream can be handed
//! `../../x`: a table or stack name never carries a path separator.

/// DynamoDB's rule: 3-255 characters of `A-Z a-z 0-9 _ - .`.
pub fn table_name(name: &str) -> Result<String, String> {
    let valid = (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        && name != "..."; // all dots: valid for DynamoDB, never a safe file name
    if valid {
        Ok(name.to_string())
    } else {
        Err(format!(
            "`{name}` is not a valid table name (3-255 characters: letters, digits, _ - .)"
        ))
    }
}

/// Stack names: 1-32 lowercase letters, digits and `-`, not starting with `-`
/// (they become part of function, role and API names).
pub fn stack_name(name: &str) -> Result<String, String> {
    let valid = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-');
    if valid {
        Ok(name.to_string())
    } else {
        Err(format!(
            "stack name `{name}`: use 1-32 lowercase letters, digits and - (not first)"
        ))
    }
}

/// AWS region names (`eu-west-1`, `us-gov-east-1`): lowercase letters,
/// digits and `-`. They become a directory of the state files.
pub fn region(name: &str) -> Result<String, String> {
    let valid = (1..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-');
    if valid {
        Ok(name.to_string())
    } else {
        Err(format!(
            "region `{name}` is not a region name (for example eu-west-1)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_like_names_are_refused() {
        for bad in ["../../victim/x", "a/b", "..", "...", "ab", "x y", "ä-table"] {
            assert!(table_name(bad).is_err(), "{bad}");
        }
        for ok in ["users", "lambda-apigateway", "a.b_c-1"] {
            assert_eq!(table_name(ok).unwrap(), ok);
        }
        for bad in [
            "../../../tmp/planted",
            "Shop",
            "",
            "-x",
            &"a".repeat(33),
            "a.b",
        ] {
            assert!(stack_name(bad).is_err(), "{bad}");
        }
        assert!(stack_name("shop-2").is_ok());
        assert!(region("../x").is_err() && region("eu-west-1").is_ok());
    }
}
