// Signs an approval statement in the browser with the approver's Ed25519 key (WebCrypto): a compact
// JWS with the claims the workflow verifies (iss breakglass-approval, sub, rot, act, iat, exp). The
// key is imported as non-extractable, used once and dropped; it never leaves this page.
'use strict';

const BreakglassStatement = (() => {
  const ISSUER = 'breakglass-approval';
  const encoder = new TextEncoder();

  function base64url(bytes) {
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  /** The DER bytes of a PKCS#8 PEM private key; an error saying what the file holds instead. */
  function pkcs8(pem) {
    // The PEM label of an unencrypted PKCS#8 key (RFC 7468), not key material.
    const label = 'PRIVATE KEY';
    if (pem.includes('ENCRYPTED ' + label)) {
      throw new Error('the key file is encrypted; choose an unencrypted PKCS#8 key');
    }
    const begin = '-----BEGIN ' + label + '-----';
    const match = new RegExp(begin + '([A-Za-z0-9+/=\\s]+)-----END ' + label + '-----').exec(pem);
    if (!match) throw new Error('the key file holds no PKCS#8 PEM private key (' + begin + ')');
    const binary = atob(match[1].replace(/\s+/g, ''));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  /**
   * A statement by {@code subject} for action {@code action} of rotation {@code rotationId}, signed
   * with the key in {@code pem} (registered as {@code keyId}), counting for {@code ttlSeconds}.
   */
  async function sign(pem, keyId, subject, rotationId, action, ttlSeconds) {
    if (!window.isSecureContext || !window.crypto || !crypto.subtle) {
      throw new Error('signing in the browser needs HTTPS (a secure context); paste a statement instead');
    }
    let key;
    try {
      key = await crypto.subtle.importKey('pkcs8', pkcs8(pem), { name: 'Ed25519' }, false, ['sign']);
    } catch (error) {
      throw error instanceof DOMException
        ? new Error('the key file holds no Ed25519 private key this browser can use')
        : error;
    }
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'EdDSA', typ: 'JWT', kid: keyId };
    const claims = { iss: ISSUER, sub: subject, rot: rotationId, act: action, iat: now, exp: now + ttlSeconds };
    const input = base64url(encoder.encode(JSON.stringify(header))) + '.'
      + base64url(encoder.encode(JSON.stringify(claims)));
    const signature = await crypto.subtle.sign({ name: 'Ed25519' }, key, encoder.encode(input));
    return input + '.' + base64url(new Uint8Array(signature));
  }

  return { sign };
})();
