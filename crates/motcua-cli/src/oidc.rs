//! `serve`'s options for citizens' sign-in with the national identity account (OpenID
//! Connect): the provider's issuer URL, the portal's client id and secret at that provider.
//! The address the provider sends citizens back to is the public address (`--public-url`)
//! followed by `/citizen/oidc/callback`, which is what the portal registers at the provider.

use anyhow::{Result, bail};
use motcua_app::oidc::{Oidc, OidcConfig};

/// Where the provider sends citizens back, under the public address.
pub const CALLBACK_PATH: &str = "/citizen/oidc/callback";

#[derive(Debug, clap::Args)]
pub struct OidcArgs {
    /// Sign-in with the national identity account: the OpenID provider's issuer URL (its
    /// `/.well-known/openid-configuration` describes it). Needs --public-url, the client id
    /// and the secret.
    #[arg(long, env = "MOTCUA_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    /// The portal's client id at the OpenID provider.
    #[arg(long, env = "MOTCUA_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    /// The portal's client secret at the OpenID provider (better given through the
    /// environment than on the command line, where other users may read it).
    #[arg(long, env = "MOTCUA_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
}

impl OidcArgs {
    /// The provider's client when an issuer is given; `None` without one. The redirect URL is
    /// `public_url` + [`CALLBACK_PATH`].
    pub fn client(self, public_url: Option<&motcua_web::PublicUrl>) -> Result<Option<Oidc>> {
        let Some(issuer_url) = self.oidc_issuer else {
            if self.oidc_client_id.is_some() || self.oidc_client_secret.is_some() {
                bail!("đã cho mã ứng dụng OpenID Connect mà thiếu --oidc-issuer");
            }
            return Ok(None);
        };
        let Some(public_url) = public_url else {
            bail!(
                "đăng nhập bằng tài khoản định danh điện tử cần --public-url (MOTCUA_PUBLIC_URL): địa chỉ trở về là địa chỉ công khai + {CALLBACK_PATH}"
            );
        };
        let (Some(client_id), Some(client_secret)) = (self.oidc_client_id, self.oidc_client_secret)
        else {
            bail!(
                "đăng nhập bằng tài khoản định danh điện tử cần --oidc-client-id và --oidc-client-secret (MOTCUA_OIDC_CLIENT_ID, MOTCUA_OIDC_CLIENT_SECRET)"
            );
        };
        let config = OidcConfig {
            issuer_url,
            client_id,
            client_secret,
            redirect_url: format!("{}{CALLBACK_PATH}", public_url.as_str()),
        };
        Ok(Some(Oidc::new(config)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(issuer: Option<&str>, id: Option<&str>, secret: Option<&str>) -> OidcArgs {
        OidcArgs {
            oidc_issuer: issuer.map(str::to_owned),
            oidc_client_id: id.map(str::to_owned),
            oidc_client_secret: secret.map(str::to_owned),
        }
    }

    #[test]
    fn the_callback_is_under_the_public_address() -> Result<()> {
        let public = motcua_web::PublicUrl::parse("https://dichvucong.example.vn/")
            .map_err(anyhow::Error::msg)?;
        let oidc = args(Some("https://sso.example.vn"), Some("motcua"), Some("s"))
            .client(Some(&public))?;
        assert!(oidc.is_some());
        assert!(args(None, None, None).client(Some(&public))?.is_none());
        Ok(())
    }

    #[test]
    fn an_incomplete_configuration_is_refused() -> Result<()> {
        let public = motcua_web::PublicUrl::parse("https://dichvucong.example.vn")
            .map_err(anyhow::Error::msg)?;
        let full = || args(Some("https://sso.example.vn"), Some("motcua"), Some("s"));
        assert!(full().client(None).is_err(), "no public address");
        assert!(
            args(Some("https://sso.example.vn"), None, Some("s"))
                .client(Some(&public))
                .is_err()
        );
        assert!(
            args(None, Some("motcua"), None)
                .client(Some(&public))
                .is_err()
        );
        assert!(
            args(Some("không phải địa chỉ"), Some("motcua"), Some("s"))
                .client(Some(&public))
                .is_err()
        );
        Ok(())
    }
}
