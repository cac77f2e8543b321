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

/// A web origin for `--cors`: `*`, or `http(s)://HOST[:PORT]` exactly as a
/// browser sends it (no path, no trailing slash).
pub fn origin(text: &str) -> Result<String, String> {
    if text == "*" {
        return Ok(text.into());
    }
    let bad = || {
        format!(
            "`{text}` is not a web origin: expected `*` or scheme://host[:port] as a browser sends it (https://app.example.com, http://localhost:5173)"
        )
    };
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let (host, port) = rest.split_once(':').unwrap_or((rest, ""));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok = port.is_empty() || port.parse::<u16>().is_ok_and(|p| p > 0);
    match host_ok && port_ok {
        true => Ok(text.to_string()),
        false => Err(bad()),
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

    #[test]
    fn origins_are_what_browsers_send() {
        for ok in [
            "*",
            "http://localhost:5173",
            "https://app.example.com",
            "http://127.0.0.1:8080",
        ] {
            assert_eq!(origin(ok).unwrap(), ok);
        }
        for bad in [
            "localhost:5173",
            "https://app.example.com/",
            "https://a.b/path",
            "ftp://x",
            "http://",
            "http://a:0",
            "http://a'b",
        ] {
            assert!(origin(bad).is_err(), "{bad}");
        }
    }
}
