// Public face of src/services/papers/: what the rest of the program may use.
export { createLibraryService, type LibraryPage, type LibraryService } from './library-service.ts';
export {
  checkCategory,
  createListingsService,
  type ListedPaper,
  type ListingSort,
  type ListingsService,
  type WindowListing,
} from './listings-service.ts';
export { noSuchPaper, paperIdOf } from './paper-ref.ts';
export { createPapersService, type PapersService } from './papers-service.ts';
export { createSubmitService, type SubmitService } from './submit-service.ts';
export { createVotesService, type VotesService } from './votes-service.ts';
