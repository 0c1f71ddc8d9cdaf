/**
 * The public, read-only endpoints: `GET /settings` (what the local subset offers, in
 * GoTrue's shape: e-mail sign-up with auto-confirmation, no external providers, no
 * phone, no SAML, no passkeys), `GET /.well-known/jwks.json` (HS256 keys are never
 * published, so `{"keys":[]}`), and `GET /health`.
 *
 * @module
 */
import type { Handler } from "hono";
import type { AppEnv } from "../http/context.ts";

const PROVIDERS = [
  "anonymous_users",
  "apple",
  "azure",
  "bitbucket",
  "discord",
  "facebook",
  "snapchat",
  "figma",
  "fly",
  "github",
  "gitlab",
  "google",
  "keycloak",
  "kakao",
  "linkedin",
  "linkedin_oidc",
  "notion",
  "spotify",
  "slack",
  "slack_oidc",
  "workos",
  "twitch",
  "twitter",
  "email",
  "phone",
  "zoom",
];

/** GoTrue's settings body for the local subset. */
export const LOCAL_SETTINGS = {
  external: Object.fromEntries(PROVIDERS.map((name) => [name, name === "email"])),
  disable_signup: false,
  mailer_autoconfirm: true,
  phone_autoconfirm: false,
  sms_provider: "",
  saml_enabled: false,
  saml_private_key_next_configured: false,
  passkeys_enabled: false,
};

/** `GET /settings`. */
export const settings: Handler<AppEnv> = (c) => c.json(LOCAL_SETTINGS, 200);

/** `GET /.well-known/jwks.json`: no public keys with HS256. */
export const jwks: Handler<AppEnv> = (c) => {
  c.header("Cache-Control", "public, max-age=600");
  return c.json({ keys: [] }, 200);
};

/** `GET /health`. */
export const health: Handler<AppEnv> = (c) =>
  c.json({
    version: "local",
    name: "GoTrue",
    description: "GoTrue is a user registration and authentication API",
  }, 200);
