//! The bridge's identity (name, MAC, bridge id, versions) and its `config`: the
//! public part anyone may read, and the full one for paired apps.

use serde_json::{Value, json};

use super::HueBridge;
use crate::error::AppError;
use crate::store::{Store, now_ms};

const MAC_KEY: &str = "hue.mac";

/// The bridge's name, as Hue apps list it.
pub const BRIDGE_NAME: &str = "Bulbwatch";
/// The API version answered (Hue's last v1).
pub const API_VERSION: &str = "1.67.0";
/// The software version answered.
pub const SW_VERSION: &str = "1967054020";
/// The data store version answered.
pub const DATASTORE_VERSION: &str = "166";

/// Who the bridge says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// `00:17:88:xx:xx:xx`, made once at first start and kept.
    pub mac: String,
    /// The MAC's 12 hex digits with `FFFE` in the middle, upper case.
    pub bridgeid: String,
}

impl Identity {
    /// The stored identity, made (random, Hue's vendor prefix) at first start.
    pub async fn load(store: &Store) -> Result<Self, AppError> {
        let mac = match store.setting(MAC_KEY).await? {
            Some(mac) => mac,
            None => {
                let mut bytes = [0u8; 3];
                getrandom::fill(&mut bytes)
                    .map_err(|e| AppError::internal("making the Hue bridge's address", e))?;
                let mac = format!(
                    "00:17:88:{:02x}:{:02x}:{:02x}",
                    bytes[0], bytes[1], bytes[2]
                );
                store.set_setting(MAC_KEY, mac.clone()).await?;
                mac
            }
        };
        let digits: String = mac.chars().filter(char::is_ascii_hexdigit).collect();
        let digits = digits.to_ascii_uppercase();
        let bridgeid = if digits.len() == 12 {
            format!("{}FFFE{}", &digits[..6], &digits[6..])
        } else {
            "001788FFFE000000".into()
        };
        Ok(Self { mac, bridgeid })
    }
}

impl HueBridge {
    /// `GET /api/config` without a (valid) username: what identifies the bridge.
    pub fn public_config(&self) -> Value {
        let id = self.identity();
        json!({
            "name": BRIDGE_NAME,
            "datastoreversion": DATASTORE_VERSION,
            "swversion": SW_VERSION,
            "apiversion": API_VERSION,
            "mac": id.mac,
            "bridgeid": id.bridgeid,
            "factorynew": false,
            "replacesbridgeid": null,
            "modelid": "BSB002",
            "starterkitid": "",
        })
    }

    /// `GET /api/<username>/config`: everything, for a paired app.
    pub fn full_config(&self) -> Value {
        let mut config = self.public_config();
        let address = self.address();
        let ip = address
            .map(|a| a.ip())
            .filter(|ip| !ip.is_unspecified())
            .map_or_else(|| "127.0.0.1".to_string(), |ip| ip.to_string());
        let whitelist: serde_json::Map<String, Value> = self
            .apps()
            .into_iter()
            .map(|app| {
                let created = iso_time(app.paired_at_ms);
                (
                    app.attendee_id.clone(),
                    json!({"last use date": created, "create date": created, "name": app.devicetype}),
                )
            })
            .collect();
        let now = iso_time(now_ms());
        let extra = json!({
            "zigbeechannel": 25,
            "ipaddress": ip,
            "netmask": "255.255.255.0",
            "gateway": ip,
            "dhcp": false,
            "proxyaddress": "none",
            "proxyport": 0,
            "UTC": now,
            "localtime": now,
            "timezone": "Etc/UTC",
            "whitelist": whitelist,
            "portalservices": false,
            "portalconnection": "disconnected",
            "portalstate": {"signedon": false, "incoming": false, "outgoing": false, "communication": "disconnected"},
            "internetservices": {"internet": "disconnected", "remoteaccess": "disconnected", "time": "disconnected", "swupdate": "disconnected"},
            "linkbutton": self.link_open_until_ms().is_some(),
            "swupdate2": {"checkforupdate": false, "lastchange": now, "bridge": {"state": "noupdates", "lastinstall": now}, "state": "noupdates", "autoinstall": {"updatetime": "T14:00:00", "on": false}},
            "backup": {"status": "idle", "errorcode": 0},
        });
        if let (Value::Object(config), Value::Object(extra)) = (&mut config, extra) {
            config.extend(extra);
        }
        config
    }
}

/// `ms` as Hue writes times: `2024-05-01T12:00:00`, UTC.
pub fn iso_time(ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_hue_writes_them() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00");
        assert_eq!(iso_time(1_714_564_800_000), "2024-05-01T12:00:00");
        assert_eq!(iso_time(951_782_400_000), "2000-02-29T00:00:00");
    }
}
