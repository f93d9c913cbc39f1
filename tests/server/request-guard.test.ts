import { describe, expect, it } from 'vitest';
import { allowedHostsFor, readCookie, tokensMatch } from '../../src/main/server/request-guard';

describe('tokensMatch', () => {
  const token = 'f'.repeat(64);
  it('matches only the exact token', () => {
    expect(tokensMatch(token, token)).toBe(true);
    expect(tokensMatch(`${token} `, token)).toBe(false);
    expect(tokensMatch(token.slice(1), token)).toBe(false);
    expect(tokensMatch(token.toUpperCase(), token)).toBe(false);
    expect(tokensMatch('', token)).toBe(false);
    expect(tokensMatch(null, token)).toBe(false);
    expect(tokensMatch(undefined, token)).toBe(false);
    expect(tokensMatch('x'.repeat(5000), token)).toBe(false);
  });
});

describe('readCookie', () => {
  it('finds our cookie among others and ignores look-alike names', () => {
    expect(readCookie('a=1; komorebi_token=abc; b=2', 'komorebi_token')).toBe('abc');
    expect(readCookie('xkomorebi_token=evil; komorebi_token_2=evil', 'komorebi_token')).toBeNull();
    expect(readCookie('komorebi_token=%E0%A4%A', 'komorebi_token')).toBeNull();
    expect(readCookie(undefined, 'komorebi_token')).toBeNull();
    expect(readCookie('garbage', 'komorebi_token')).toBeNull();
  });
});

describe('allowedHostsFor', () => {
  it('allows the loopback names and the bound host, with the port', () => {
    expect([...allowedHostsFor('127.0.0.1', 5297)].sort()).toEqual(
      ['127.0.0.1:5297', '[::1]:5297', 'localhost:5297'].sort(),
    );
    expect(allowedHostsFor('192.168.1.20', 80).has('192.168.1.20:80')).toBe(true);
    expect(allowedHostsFor('::1', 80).has('[::1]:80')).toBe(true);
    expect(allowedHostsFor('fd00::5', 80).has('[fd00::5]:80')).toBe(true);
  });

  it('never allows the wildcard address itself, and adds configured names', () => {
    const hosts = allowedHostsFor('0.0.0.0', 8080, ['Photos.Home']);
    expect(hosts.has('0.0.0.0:8080')).toBe(false);
    expect(hosts.has('photos.home:8080')).toBe(true);
    expect(hosts.has('photos.home')).toBe(false);
  });
});
