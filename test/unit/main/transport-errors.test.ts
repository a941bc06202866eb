import { describe, expect, it } from 'vitest';
import { classifyNodeError } from '../../../src/main/services/transport-errors.js';

const err = (code: string) => Object.assign(new Error(`${code} happened`), { code });

describe('classifyNodeError', () => {
  it('recognises a client-certificate alert that TLS 1.2 reports as EPROTO', () => {
    const error = Object.assign(new Error('write EPROTO 80AC:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:rec_layer_s3.c:1601:SSL alert number 48'), { code: 'EPROTO' });
    expect(classifyNodeError(error, false).code).toBe('CLIENT_CERT_REJECTED');
  });

  it.each([
    ['ECONNREFUSED', false, 'SERVER_UNREACHABLE'],
    ['ENOTFOUND', false, 'SERVER_UNREACHABLE'],
    ['EHOSTUNREACH', true, 'SERVER_UNREACHABLE'],
    ['ETIMEDOUT', false, 'SERVER_TIMEOUT'],
    ['ECONNRESET', false, 'SERVER_UNREACHABLE'],
    ['ECONNRESET', true, 'CONNECTION_LOST'],
    ['EPIPE', true, 'CONNECTION_LOST'],
    ['CERT_HAS_EXPIRED', false, 'SERVER_CERT_UNTRUSTED'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', false, 'SERVER_CERT_UNTRUSTED'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false, 'SERVER_CERT_UNTRUSTED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false, 'SERVER_CERT_UNTRUSTED'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', false, 'CLIENT_CERT_REJECTED'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', false, 'CLIENT_CERT_REJECTED'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', false, 'TLS_MISMATCH'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', false, 'TLS_MISMATCH'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', false, 'TLS_MISMATCH'],
    ['EPROTO', false, 'TLS_MISMATCH'],
    ['SOMETHING_NEW', false, 'SERVER_UNREACHABLE'],
    ['EPROTO', true, 'TLS_MISMATCH'],
    ['SOMETHING_NEW', true, 'CONNECTION_LOST'],
  ])('%s (request sent: %s) → %s', (code, sent, expected) => {
    const error = classifyNodeError(err(code), sent);
    expect(error.code).toBe(expected);
    expect(error.message).toContain(code);
  });
});
