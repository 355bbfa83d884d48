"""The runbook's regression API health check: the sample service's security controls, over HTTP.

Run with `python3 -m pytest tests/test_security_controls.py --service-url http://127.0.0.1:8085`.
Only the standard library and pytest; no secret is needed or printed: the tokens below are made
up, and no key of the service is known here.
"""
import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request


def call(url, method="GET", body=None, headers=None):
    """(status, headers, body bytes) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_token(kid):
    """An HS256 token in the service's shape, signed with a random key the service cannot know."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    now = int(time.time())
    claims = b64url(json.dumps({"sub": "pytest", "iat": now, "exp": now + 300}).encode())
    signing_input = (header + "." + claims).encode()
    signature = hmac.new(secrets.token_bytes(64), signing_input, hashlib.sha256).digest()
    return header + "." + claims + "." + b64url(signature)


def test_health_is_up(service_url):
    status, _, body = call(service_url + "/health")
    assert status == 200
    assert json.loads(body)["status"] == "UP"


def test_session_without_a_token_is_refused(service_url):
    status, _, _ = call(service_url + "/session")
    assert status == 401


def test_session_refuses_a_malformed_token(service_url):
    status, _, body = call(service_url + "/session", headers={"Authorization": "Bearer not-a-jwt"})
    assert status == 401
    assert json.loads(body)["error"] == "invalid_token"


def test_session_refuses_a_token_signed_with_an_unknown_key(service_url):
    token = forged_token("jwt:forged-version")
    status, _, _ = call(service_url + "/session", headers={"Authorization": "Bearer " + token})
    assert status == 401, "the service accepted a token it never signed"


def test_session_refuses_an_unsigned_token(service_url):
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": "pytest", "exp": int(time.time()) + 300}).encode())
    status, _, _ = call(service_url + "/session", headers={"Authorization": "Bearer " + header + "." + claims + "."})
    assert status == 401, "the service accepted alg=none"


def test_a_chart_upload_answers_without_the_raw_patient_identifier(service_url):
    patient = "MRN" + secrets.token_hex(6).upper()
    status, _, body = call(service_url + "/charts/" + patient, method="POST", body=b"pytest canary chart")
    assert status == 201
    answer = body.decode()
    assert patient not in answer, "the answer carries the raw patient identifier"
    assert patient.lower() not in answer.lower()
    assert json.loads(answer)["keyId"]


def test_metrics_carry_no_raw_patient_identifier(service_url):
    patient = "MRN" + secrets.token_hex(6).upper()
    call(service_url + "/charts/" + patient, method="POST", body=b"pytest canary chart")
    status, _, body = call(service_url + "/metrics")
    assert status == 200
    assert patient not in body.decode()
