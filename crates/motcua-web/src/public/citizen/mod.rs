//! The citizens' and businesses' own pages (`/citizen/…`): sign-up with a one-time code
//! (`sign_up`, `confirm`), sign-in and sign-out (`sign_in`, `sign_out`), the account with its
//! dossiers (`account`) and the profile (`profile`); signing in with the national identity
//! account through OpenID Connect (`oidc`). Each page's handler, view model and
//! template sit side by side, on `public/layout.html`, phone first.

pub(crate) mod oidc;
pub(crate) mod sign_out;
