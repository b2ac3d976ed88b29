"""OAuth 1.0a HMAC-SHA1 header signing, as Twitter clients do it (stdlib only)."""
import base64
import hashlib
import hmac
import secrets
import time
import urllib.parse


def _enc(value):
    return urllib.parse.quote(str(value), safe="~-._")


def authorization(creds, method, url, params=None):
    """The Authorization header for one request; params are query or form fields."""
    oauth = {
        "oauth_consumer_key": creds["consumer_key"],
        "oauth_nonce": secrets.token_hex(16),
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(int(time.time())),
        "oauth_token": creds["access_token"],
        "oauth_version": "1.0",
    }
    pairs = sorted((_enc(k), _enc(v)) for k, v in list((params or {}).items()) + list(oauth.items()))
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join([method.upper(), _enc(url), _enc(normalized)])
    key = f"{_enc(creds['consumer_secret'])}&{_enc(creds['access_token_secret'])}"
    oauth["oauth_signature"] = base64.b64encode(
        hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()).decode()
    return "OAuth " + ", ".join(f'{_enc(k)}="{_enc(v)}"' for k, v in sorted(oauth.items()))
