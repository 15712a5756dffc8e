// Public face of src/services/accounts/: what the rest of the program may use.
export { type AccountSettingsService, createAccountSettingsService } from './account-settings-service.ts';
export { type AccountsService, createAccountsService } from './accounts-service.ts';
export { type ApiTokensService, createApiTokensService } from './api-tokens-service.ts';
export { createPasswordResetService, type PasswordResetService } from './password-reset-service.ts';
