package io.breakglass.workflows.messages.values;

/**
 * One public signing key of the identity provider, as its JWKS publishes it (RFC 7517). Only the
 * public members are kept; symmetric and private members never reach the workflow.
 *
 * @param kty RSA, EC or OKP
 * @param kid the key id tokens name in their header
 * @param alg the algorithm the key is for, or null when the JWKS does not say
 * @param use {@code sig}, or null when the JWKS does not say
 * @param crv the curve of an EC ({@code P-256}) or OKP ({@code Ed25519}) key
 * @param n an RSA modulus, base64url
 * @param e an RSA public exponent, base64url
 * @param x an EC point's x or an OKP public key, base64url
 * @param y an EC point's y, base64url
 */
public record Jwk(
    String kty,
    String kid,
    String alg,
    String use,
    String crv,
    String n,
    String e,
    String x,
    String y) {}
