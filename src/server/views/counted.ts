// Shared with the CLI's cycle summary, which must not depend on server views.
export { counted } from '../../domain/counted.js';
