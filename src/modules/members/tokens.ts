import { SignJWT, jwtVerify, errors } from 'jose';
import { unauthenticated } from '../../shared/errors';
import { isUuid } from '../../shared/ids';

const ISSUER = 'practicehub';

export interface TokenClaims {
  memberId: string;
  /** When the token stops being valid (its `exp`). */
  expiresAt: Date;
}

export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(memberId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(memberId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /**
   * An invalid or expired token is UNAUTHENTICATED, never silently anonymous. Even validly signed, a token must
   * expire (`exp`) and name a member id (`sub`, a UUID): anything else never reaches the database.
   */
  async verify(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      if (!isUuid(payload.sub)) throw unauthenticated('Invalid token');
      return { memberId: payload.sub, expiresAt: new Date(payload.exp! * 1000) };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated('Token expired; sign in again');
      throw unauthenticated('Invalid token');
    }
  }
}

/** Reads `Bearer <token>`; anything else in the header is an invalid token. */
export function bearerToken(header: string | undefined | null): string | null {
  if (header === undefined || header === null || header === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
  return match[1]!;
}
