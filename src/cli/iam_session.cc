// Clients and credentials for the IAM commands.
#include "cli/iam_session.h"

#include "creds/source.h"
#include "iam/endpoint.h"

namespace mfaenv {

Result<IamClient> iam_client_for(const SessionContext& ctx) {
  const ProfileSettings* profile = MFAENV_TRY(ctx.profiles->load(ctx.profile));
  StsConnection connection = MFAENV_TRY(iam_connection_for(profile));
  IamClient client(std::move(connection));
  client.set_credentials_origin("profile '" + ctx.profile + "'");
  return client;
}

Result<Credentials> long_term_keys(const SessionContext& ctx) {
  Credentials keys = MFAENV_TRY(load_source(ctx.chain.source));
  if (keys.is_temporary())
    return make_error(ErrorKind::kConfigInvalid, "profile '{}' has temporary keys (aws_session_token), but enrolling "
                      "an MFA device needs the IAM user's long-term keys", ctx.chain.source.profile);
  return keys;
}

Result<ResolvedCredentials> session_credentials(SessionContext& ctx, const std::optional<std::string>& token_code) {
  ResolveOptions options;
  options.token_code = token_code;
  return ctx.resolver->resolve(ctx.chain, options);
}

Result<IamUser> iam_user_of(IamClient& iam, const Credentials& credentials) {
  auto user = iam.get_user(credentials);
  if (!user.ok()) return std::move(user).error();
  if (user->user_name.empty())
    return make_error(ErrorKind::kGeneric, "these keys belong to the account's root user ({}); MFA for root is "
                      "set up in the console, and mfaenv enrols IAM users only", user->arn);
  return std::move(*user);
}

}  // namespace mfaenv
