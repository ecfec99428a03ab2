// The wording lives in src/domain so the CLI's cycle summary says the same without importing the server.
export { describePromotion, type PromotionReason, promotionReason, type StoredComparison, storedComparison } from '../domain/promotion-reason.js';
