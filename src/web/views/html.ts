// The views' escaping templates; they live in domain/html.ts so that the digest mail (services) uses the same ones.
export * from '../../domain/html.ts';
