#include "mock_aws/sts/sts_model.h"

#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/iam/aws_managed_policies.h"
#include "tests/mock_aws/services/world_fixture.h"

namespace ibsim::mock_aws::sts {
namespace {

using testing::allow;
using testing::kAllowAll;
using testing::trust_for;
using testing::WorldFixture;

api::sts::AssumeRoleInput assume(std::string role_arn, std::string session = "session") {
  return {.role_arn = std::move(role_arn), .role_session_name = std::move(session)};
}

std::string denied_message(const api::Principal& caller, std::string_view role_arn) {
  return "User: " + caller.arn
         + " is not authorized to perform: sts:AssumeRole on resource: " + std::string(role_arn);
}

TEST_CASE("AssumeRole: the cross-account matrix of trust and identity policies", "[sts]") {
  // The trust policy names the caller's account (or not); the caller's identity policy allows
  // sts:AssumeRole on the role (or not); the role lives in the caller's account or another one.
  // Naming an account delegates to that account's IAM policies, so the identity allow is needed
  // on both sides of the boundary (aws-facts §5.2, §5.3).
  struct Case {
    bool trust_allows;
    bool identity_allows;
    bool cross_account;
    bool allowed;
  };

  const Case cases[] = {
      {true, true, false, true},
      {true, false, false, false},
      {false, true, false, false},
      {false, false, false, false},
      {true, true, true, true},
      {true, false, true, false},
      {false, true, true, false},
      {false, false, true, false},
  };
  for (const Case& c : cases) {
    WorldFixture f;
    const api::AccountId& home = f.a;
    const api::AccountId& owner = c.cross_account ? f.b : f.a;
    const std::string trusted = c.trust_allows ? home.str() : "999999999999";
    const std::string role = f.role(owner, "Target", trusted);
    const api::CallContext caller =
        f.user(home, "caller", c.identity_allows ? allow("sts:AssumeRole", role) : allow("s3:*"));
    auto out = f.world.sts().assume_role(caller, assume(role));
    INFO("trust=" << c.trust_allows << " identity=" << c.identity_allows
                  << " cross=" << c.cross_account);
    CHECK(out.ok() == c.allowed);
    if (!out.ok()) {
      CHECK(out.error().code == "AccessDenied");
      CHECK(out.error().http_status == 403);
      CHECK(out.error().message == denied_message(caller.principal, role));
      CHECK_FALSE(out.error().explanation.empty());
    }
  }
}

TEST_CASE("AssumeRole: a trust policy naming the user itself needs no identity allow", "[sts]") {
  WorldFixture f;
  const api::CallContext same = f.user(f.a, "direct");
  const std::string role = f.role(f.a, "Direct", same.principal.arn);
  CHECK(f.world.sts().assume_role(same, assume(role)).ok());
  // Across accounts the caller's own side must still allow it.
  const api::CallContext other = f.user(f.b, "other");
  const std::string role2 = f.role(f.a, "Direct2", other.principal.arn);
  auto out = f.world.sts().assume_role(other, assume(role2));
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().message == denied_message(other.principal, role2));
}

TEST_CASE("AssumeRole: a missing role is AccessDenied with STS's short message", "[sts]") {
  WorldFixture f;
  const api::CallContext caller = f.user(f.a, "caller", kAllowAll);
  const std::string arn =
      "arn:aws:iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole";
  auto out = f.world.sts().assume_role(caller, assume(arn));
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "AccessDenied");
  CHECK(out.error().http_status == 403);
  CHECK(out.error().message
        == "User: arn:aws:iam::111122223333:user/caller is not authorized to perform: "
           "sts:AssumeRole on resource: " + arn);
  CHECK(out.error().explanation.find("RoleDoesNotExist") != std::string::npos);
  // A wrong path is a different ARN: the role is not found either.
  f.role(f.b, "Pathed", "111122223333", {}, "/team/");
  auto wrong_path =
      f.world.sts().assume_role(caller, assume("arn:aws:iam::444455556666:role/Pathed"));
  REQUIRE_FALSE(wrong_path.ok());
  CHECK(wrong_path.error().code == "AccessDenied");
  // An account that is not in the world.
  CHECK(f.world.sts().assume_role(caller, assume("arn:aws:iam::999999999999:role/X")).error().code
        == "AccessDenied");
}

TEST_CASE("AssumeRole: the account root may not assume roles", "[sts]") {
  WorldFixture f;
  const std::string role = f.role(f.a, "R", "111122223333");
  auto out = f.world.sts().assume_role(f.root(f.a), assume(role));
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "AccessDenied");
  CHECK(out.error().message == "Roles may not be assumed by root accounts.");
}

TEST_CASE("AssumeRole: session credentials resolve to the assumed-role principal", "[sts]") {
  WorldFixture f;
  const api::CallContext caller = f.user(f.a, "caller", kAllowAll);
  const std::string role = f.role(f.a, "Builder", "111122223333", {}, "/team/");
  const int64_t before = f.ctx.unix_ms();
  auto out = f.world.sts().assume_role(caller, assume(role, "build-42"));
  REQUIRE(out.ok());
  const api::sts::Credentials& c = out->credentials;
  CHECK(c.access_key_id.size() == 20);
  CHECK(c.access_key_id.starts_with("ASIA"));
  CHECK(c.secret_access_key.size() == 40);
  CHECK(c.session_token.size() > 100);
  CHECK(c.expiration == before + 3'600'000);
  CHECK(out->assumed_role_user.arn == "arn:aws:sts::111122223333:assumed-role/Builder/build-42");
  const iam::RoleRecord* rec = f.world.iam().find_role(f.a, "Builder");
  CHECK(out->assumed_role_user.assumed_role_id == rec->role_id + ":build-42");

  auto resolved = f.world.sts().resolve_access_key(c.access_key_id);
  REQUIRE(resolved.ok());
  CHECK(resolved->kind == ResolvedAccessKey::Kind::kSession);
  CHECK(resolved->requires_session_token);
  CHECK(resolved->session_token == c.session_token);
  CHECK(resolved->secret_access_key == c.secret_access_key);
  const api::Principal& p = resolved->principal;
  CHECK(p.kind == api::PrincipalKind::kAssumedRole);
  CHECK(p.arn == "arn:aws:sts::111122223333:assumed-role/Builder/build-42");  // No path.
  CHECK(p.role_arn == "arn:aws:iam::111122223333:role/team/Builder");
  CHECK(p.principal_arn() == p.role_arn);

  // GetCallerIdentity as the session.
  auto who = f.world.sts().get_caller_identity(f.call(p, c.access_key_id), {});
  REQUIRE(who.ok());
  CHECK(who->arn == p.arn);
  CHECK(who->account == "111122223333");
  CHECK(who->user_id == rec->role_id + ":build-42");

  // One hour later the credentials are expired.
  f.ctx.scheduler().run_for(sim::Duration::seconds(3'600));
  auto expired = f.world.sts().resolve_access_key(c.access_key_id);
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.error().code == StsModel::kExpiredTokenCode);
  // A day after that they are forgotten once STS prunes.
  f.ctx.scheduler().run_for(sim::Duration::hours(25));
  REQUIRE(f.world.sts().assume_role(caller, assume(role)).ok());
  CHECK(f.world.sts().resolve_access_key(c.access_key_id).error().code
        == StsModel::kUnknownAccessKeyCode);
}

Session stored_session(std::string id, int64_t expires_s) {
  Session s;
  s.access_key_id = std::move(id);
  s.expires_at = sim::Instant::start() + sim::Duration::seconds(expires_s);
  return s;
}

TEST_CASE("SessionStore: a full store evicts the session that expires first", "[sts]") {
  SessionStore store(3);
  CHECK(store.sessions_max() == 3);
  store.add(stored_session("ASIAA", 100));
  store.add(stored_session("ASIAB", 50));
  store.add(stored_session("ASIAC", 200));
  CHECK(store.size() == 3);
  CHECK(store.evicted_count() == 0);
  CHECK_FALSE(store.forgot("ASIAB"));

  store.add(stored_session("ASIAD", 150));
  CHECK(store.size() == 3);
  CHECK_FALSE(store.contains("ASIAB"));  // Earliest expiry.
  CHECK(store.forgot("ASIAB"));
  CHECK(store.contains("ASIAA"));
  store.add(stored_session("ASIAE", 10));  // A new session can be the earliest-expiring one.
  CHECK_FALSE(store.contains("ASIAA"));
  CHECK(store.contains("ASIAE"));
  store.add(stored_session("ASIAF", 300));
  CHECK_FALSE(store.contains("ASIAE"));
  CHECK(store.contains("ASIAC"));
  CHECK(store.contains("ASIAD"));
  CHECK(store.contains("ASIAF"));
  CHECK(store.evicted_count() == 3);
  CHECK(store.forgot("ASIAA"));
  CHECK(store.forgot("ASIAE"));
  CHECK_FALSE(store.forgot("ASIAC"));
  CHECK_FALSE(store.forgot("ASIAZ"));

  // Equal expiries leave in the order they came.
  SessionStore ties(2);
  ties.add(stored_session("ASIA1", 60));
  ties.add(stored_session("ASIA2", 60));
  ties.add(stored_session("ASIA3", 60));
  CHECK_FALSE(ties.contains("ASIA1"));
  CHECK(ties.contains("ASIA2"));
  CHECK(ties.contains("ASIA3"));
}

TEST_CASE("SessionStore: evicted key ids are remembered for the last sessions_max evictions",
          "[sts]") {
  SessionStore store(2);
  for (int i = 0; i < 10; ++i) {
    store.add(stored_session("ASIA" + std::to_string(i), i));
  }
  CHECK(store.size() == 2);
  CHECK(store.evicted_count() == 8);
  CHECK(store.contains("ASIA8"));
  CHECK(store.contains("ASIA9"));
  CHECK(store.forgot("ASIA7"));
  CHECK(store.forgot("ASIA6"));
  CHECK_FALSE(store.forgot("ASIA5"));  // Past the memory of evictions: simply unknown.
  // Pruned sessions are not remembered.
  store.prune_expired_before(sim::Instant::start() + sim::Duration::seconds(100));
  CHECK(store.size() == 0);
  CHECK_FALSE(store.forgot("ASIA9"));
  CHECK(store.sessions_max() == 2);
  CHECK(SessionStore(0).sessions_max() == 1);
  CHECK(SessionStore().sessions_max() == SessionStore::kSessionsMaxDefault);
}

TEST_CASE("AssumeRole: past the session bound the earliest-expiring session answers ExpiredToken",
          "[sts]") {
  WorldFixture f(7, {.sts_sessions_max = 2});
  const api::CallContext caller = f.user(f.a, "caller", allow("sts:AssumeRole"));
  const std::string role = f.role(f.a, "R", "111122223333", kAllowAll);
  auto long_lived = f.world.sts().assume_role(
      caller, {.role_arn = role, .role_session_name = "long", .duration_seconds = 3'600});
  auto short_lived = f.world.sts().assume_role(
      caller, {.role_arn = role, .role_session_name = "short", .duration_seconds = 900});
  REQUIRE(long_lived.ok());
  REQUIRE(short_lived.ok());
  CHECK(f.world.sessions().size() == 2);
  auto third = f.world.sts().assume_role(
      caller, {.role_arn = role, .role_session_name = "third", .duration_seconds = 1'800});
  REQUIRE(third.ok());
  CHECK(f.world.sessions().size() == 2);
  CHECK(f.world.sessions().evicted_count() == 1);
  // The short session expires first, so it went, though it has not expired yet.
  auto evicted = f.world.sts().resolve_access_key(short_lived->credentials.access_key_id);
  REQUIRE_FALSE(evicted.ok());
  CHECK(evicted.error().code == StsModel::kExpiredTokenCode);
  CHECK(evicted.error().http_status == 400);
  CHECK(f.world.sts().resolve_access_key(long_lived->credentials.access_key_id).ok());
  CHECK(f.world.sts().resolve_access_key(third->credentials.access_key_id).ok());
  // A key STS never issued is still unknown.
  CHECK(f.world.sts().resolve_access_key("ASIANEVERISSUED00001").error().code
        == StsModel::kUnknownAccessKeyCode);
}

TEST_CASE("AssumeRole: resolve_access_key covers user keys and root keys and account aliases",
          "[sts]") {
  WorldFixture f;
  REQUIRE(f.world.iam().seed_user(f.a, {.user_name = "u", .tags = {{"team", "ops"}}}).ok());
  REQUIRE(f.world.iam().seed_access_key(f.a, "u", "AKIAIOSFODNN7EXAMPLE", "userSecret").ok());
  REQUIRE(f.world.iam().seed_access_key(f.b, "", "AKIAROOTKEY000000001", "rootSecret").ok());
  auto user = f.world.sts().resolve_access_key("AKIAIOSFODNN7EXAMPLE");
  REQUIRE(user.ok());
  CHECK(user->kind == ResolvedAccessKey::Kind::kUserKey);
  CHECK(user->principal.arn == "arn:aws:iam::111122223333:user/u");
  CHECK(user->principal.tags.at("team") == "ops");
  CHECK(user->secret_access_key == "userSecret");
  CHECK_FALSE(user->requires_session_token);
  auto root = f.world.sts().resolve_access_key("AKIAROOTKEY000000001");
  REQUIRE(root.ok());
  CHECK(root->kind == ResolvedAccessKey::Kind::kRootKey);
  CHECK(root->principal.arn == "arn:aws:iam::444455556666:root");
  auto alias = f.world.sts().resolve_access_key("444455556666");
  REQUIRE(alias.ok());
  CHECK(alias->kind == ResolvedAccessKey::Kind::kAccountIdAlias);
  CHECK(alias->principal.kind == api::PrincipalKind::kRoot);
  for (const char* unknown : {"999999999999", "AKIANOTAKEY000000000", "", "test"}) {
    auto r = f.world.sts().resolve_access_key(unknown);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidClientTokenId");
    CHECK(r.error().http_status == 403);
  }
}

TEST_CASE("AssumeRole: DurationSeconds is bounded by the shape and the role and chaining",
          "[sts]") {
  WorldFixture f;
  const api::CallContext caller = f.user(f.a, "caller", kAllowAll);
  const std::string role = f.role(f.a, "R", "111122223333", kAllowAll);
  api::iam::CreateRoleInput long_in;
  long_in.role_name = "Long";
  long_in.max_session_duration = 7200;
  long_in.assume_role_policy_document = trust_for("111122223333");
  REQUIRE(f.world.iam().seed_role(f.a, long_in).ok());
  const std::string long_role = "arn:aws:iam::111122223333:role/Long";

  auto with = [&](const api::CallContext& who, const std::string& arn, int32_t seconds) {
    api::sts::AssumeRoleInput in = assume(arn);
    in.duration_seconds = seconds;
    return f.world.sts().assume_role(who, in);
  };
  CHECK(with(caller, role, 899).error().code == "ValidationError");
  CHECK(with(caller, role, 43201).error().code == "ValidationError");
  CHECK(with(caller, role, 900).ok());
  auto over_role = with(caller, role, 7200);
  REQUIRE_FALSE(over_role.ok());
  CHECK(over_role.error().message
        == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  auto long_ok = with(caller, long_role, 7200);
  REQUIRE(long_ok.ok());
  CHECK(long_ok->credentials.expiration == f.ctx.unix_ms() + 7'200'000);

  // Role chaining: a session assuming a role is limited to one hour.
  const api::CallContext session = f.session(caller, role);
  CHECK(with(session, long_role, 3600).ok());
  auto chained = with(session, long_role, 3601);
  REQUIRE_FALSE(chained.ok());
  CHECK(chained.error().code == "ValidationError");
  CHECK(chained.error().message
        == "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
           "role chaining.");
}

TEST_CASE("AssumeRole: RoleSessionName and RoleArn and ExternalId follow their shapes", "[sts]") {
  WorldFixture f;
  const api::CallContext caller = f.user(f.a, "caller", kAllowAll);
  const std::string role = f.role(f.a, "R", "111122223333");
  for (const char* bad : {"a", "has space", "slash/name", "x!"}) {
    auto out = f.world.sts().assume_role(caller, assume(role, bad));
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "ValidationError");
    CHECK(out.error().message.find("'roleSessionName'") != std::string::npos);
  }
  CHECK(f.world.sts().assume_role(caller, assume(role, "ok+=,.@-_1")).ok());
  CHECK(f.world.sts().assume_role(caller, assume(role, std::string(65, 'x'))).error().code
        == "ValidationError");
  CHECK(f.world.sts().assume_role(caller, assume("arn:short")).error().code == "ValidationError");
  api::sts::AssumeRoleInput in = assume(role);
  in.external_id = "bad id";
  CHECK(f.world.sts().assume_role(caller, in).error().code == "ValidationError");
  in.external_id = "ok:id/1";
  CHECK(f.world.sts().assume_role(caller, in).ok());
}

TEST_CASE("AssumeRole: an ExternalId condition in the trust policy must be met", "[sts]") {
  WorldFixture f;
  const api::CallContext caller = f.user(f.b, "caller", kAllowAll);
  api::iam::CreateRoleInput in;
  in.role_name = "Vendor";
  in.assume_role_policy_document =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"secret-1"}}}]})";
  REQUIRE(f.world.iam().seed_role(f.a, in).ok());
  const std::string role = "arn:aws:iam::111122223333:role/Vendor";
  CHECK(f.world.sts().assume_role(caller, assume(role)).error().code == "AccessDenied");
  api::sts::AssumeRoleInput with = assume(role);
  with.external_id = "secret-1";
  CHECK(f.world.sts().assume_role(caller, with).ok());
}

TEST_CASE("AssumeRole: service principals assume the roles that trust them", "[sts]") {
  WorldFixture f;
  const api::CallContext imagebuilder =
      f.call(api::Principal::service(iam::kImageBuilderServicePrincipal));
  const iam::RoleRecord* slr = f.world.iam().find_role(f.a, iam::kImageBuilderSlrName);
  REQUIRE(slr != nullptr);
  auto out = f.world.sts().assume_role(imagebuilder, assume(slr->arn, "ImageBuilder"));
  REQUIRE(out.ok());
  // The session ARN drops the role's /aws-service-role/... path (aws-facts §2.1).
  CHECK(out->assumed_role_user.arn
        == "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForImageBuilder/ImageBuilder");
  // Another service is not trusted by that role.
  const api::CallContext ec2 = f.call(api::Principal::service("ec2.amazonaws.com"));
  auto denied = f.world.sts().assume_role(ec2, assume(slr->arn, "ImageBuilder"));
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().message == denied_message(ec2.principal, slr->arn));
}

TEST_CASE("AssumeRole: the Image Builder role chain into a target account", "[sts]") {
  WorldFixture f;
  const std::string xrole = f.role(
      f.b, std::string(iam::kCrossAccountDistributionRoleName), "arn:aws:iam::111122223333:root");
  REQUIRE(f.world.iam()
              .seed_attach_role_policy(f.b,
                                       {std::string(iam::kCrossAccountDistributionRoleName),
                                        std::string(iam::kCrossAccountDistributionPolicyArn)})
              .ok());
  const std::string other = f.role(f.b, "SomethingElse", "arn:aws:iam::111122223333:root");
  const api::CallContext imagebuilder =
      f.call(api::Principal::service(iam::kImageBuilderServicePrincipal));
  const iam::RoleRecord* slr = f.world.iam().find_role(f.a, iam::kImageBuilderSlrName);
  const api::CallContext slr_session = f.session(imagebuilder, slr->arn, "ImageBuilder");

  // The SLR's policy allows sts:AssumeRole on EC2ImageBuilderDistributionCrossAccountRole only.
  auto out = f.world.sts().assume_role(slr_session, assume(xrole, "ImageBuilder"));
  REQUIRE(out.ok());
  CHECK(out->assumed_role_user.arn
        == "arn:aws:sts::444455556666:assumed-role/EC2ImageBuilderDistributionCrossAccountRole/"
           "ImageBuilder");
  auto denied = f.world.sts().assume_role(slr_session, assume(other, "ImageBuilder"));
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "AccessDenied");
  // The trust policy must name the source account: a third account's SLR session is refused.
  REQUIRE(f.world.add_account(testing::account("777788889999")).ok());
  const iam::RoleRecord* slr3 =
      f.world.iam().find_role(testing::account("777788889999"), iam::kImageBuilderSlrName);
  const api::CallContext third = f.session(imagebuilder, slr3->arn, "ImageBuilder");
  CHECK(f.world.sts().assume_role(third, assume(xrole, "ImageBuilder")).error().code
        == "AccessDenied");
}

TEST_CASE("AssumeRole: aws:PrincipalArn in a trust condition is the calling role's ARN", "[sts]") {
  WorldFixture f;
  const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
  const std::string pipeline = f.role(f.a, "Pipeline", "111122223333", kAllowAll, "/ci/");
  const std::string other = f.role(f.a, "Other", "111122223333", kAllowAll);
  api::iam::CreateRoleInput in;
  in.role_name = "Deployer";
  in.assume_role_policy_document =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/ci/Pipeline"}}}]})";
  REQUIRE(f.world.iam().seed_role(f.b, in).ok());
  const std::string deployer = "arn:aws:iam::444455556666:role/Deployer";
  CHECK(f.world.sts().assume_role(f.session(admin, pipeline), assume(deployer)).ok());
  CHECK(f.world.sts().assume_role(f.session(admin, other), assume(deployer)).error().code
        == "AccessDenied");
}

TEST_CASE("AssumeRole: a session policy caps the session", "[sts]") {
  WorldFixture f;
  const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
  const std::string role = f.role(f.a, "R", "111122223333", kAllowAll);
  api::sts::AssumeRoleInput in = assume(role);
  in.policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},{"Effect":"Deny","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/blocked"}]})";
  auto out = f.world.sts().assume_role(admin, in);
  REQUIRE(out.ok());
  CHECK(out->packed_policy_size > 0);
  auto resolved = f.world.sts().resolve_access_key(out->credentials.access_key_id);
  const api::CallContext session = f.call(resolved->principal, out->credentials.access_key_id);
  auto& authz = f.world.authorizer();
  const std::string key = "arn:aws:kms:us-east-1:111122223333:key/k1";
  CHECK(authz.authorize(session, {.action = "kms:Decrypt", .resource = key}).allowed());
  auto encrypt = authz.authorize(session, {.action = "kms:Encrypt", .resource = key});
  CHECK_FALSE(encrypt.allowed());
  CHECK(encrypt.message.ends_with("because no session policy allows the kms:Encrypt action"));
  auto blocked = authz.authorize(
      session,
      {.action = "kms:Decrypt", .resource = "arn:aws:kms:us-east-1:111122223333:key/blocked"});
  CHECK(blocked.decision.outcome == policy::Outcome::kExplicitDeny);
  CHECK(blocked.message.ends_with("with an explicit deny in a session policy"));
  // Without the access key, the same principal is not capped (no session to look up).
  CHECK(authz.authorize(f.call(resolved->principal), {.action = "kms:Encrypt", .resource = key})
            .allowed());
  // A malformed or oversized session policy is refused.
  in.policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})";
  CHECK(f.world.sts().assume_role(admin, in).error().code == "MalformedPolicyDocument");
  in.policy = std::string(2049, ' ');
  CHECK(f.world.sts().assume_role(admin, in).error().code == "ValidationError");
  // Managed session policies (PolicyArns) cap it too.
  api::sts::AssumeRoleInput managed = assume(role);
  managed.policy_arns = {{"arn:aws:iam::aws:policy/ReadOnlyAccess"}};
  auto ro = f.world.sts().assume_role(admin, managed);
  REQUIRE(ro.ok());
  const api::CallContext ro_session =
      f.call(f.world.sts().resolve_access_key(ro->credentials.access_key_id)->principal,
             ro->credentials.access_key_id);
  CHECK(authz.authorize(ro_session, {.action = "ec2:DescribeImages", .resource = "*"}).allowed());
  CHECK_FALSE(authz.authorize(ro_session, {.action = "ec2:CopyImage", .resource = "*"}).allowed());
  managed.policy_arns = {{"arn:aws:iam::aws:policy/NoSuchPolicy"}};
  CHECK(f.world.sts().assume_role(admin, managed).error().code == "MalformedPolicyDocument");
}

TEST_CASE("AssumeRole: session tags need sts:TagSession and become principal tags", "[sts]") {
  WorldFixture f;
  const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
  const std::string plain = f.role(f.a, "Plain", "111122223333", kAllowAll);
  api::iam::CreateRoleInput in;
  in.role_name = "Tagging";
  in.tags = {{"team", "red"}, {"env", "prod"}};
  in.assume_role_policy_document =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["sts:AssumeRole","sts:TagSession"]}]})";
  REQUIRE(f.world.iam().seed_role(f.a, in).ok());
  REQUIRE(
      f.world.iam()
          .seed_put_role_policy(
              f.a,
              {"Tagging",
               "p",
               R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue","aws:PrincipalTag/env":"prod"}}}]})"})
          .ok());
  const std::string tagging = "arn:aws:iam::111122223333:role/Tagging";
  api::sts::AssumeRoleInput with_tags = assume(plain);
  with_tags.tags = {{"team", "blue"}};
  CHECK(f.world.sts().assume_role(admin, with_tags).error().code == "AccessDenied");
  with_tags.role_arn = tagging;
  auto out = f.world.sts().assume_role(admin, with_tags);
  REQUIRE(out.ok());
  auto resolved = f.world.sts().resolve_access_key(out->credentials.access_key_id);
  CHECK(resolved->principal.tags.at("team") == "blue");  // Session tags override role tags.
  CHECK(resolved->principal.tags.at("env") == "prod");
  const api::CallContext session = f.call(resolved->principal, out->credentials.access_key_id);
  CHECK(f.world.authorizer()
            .authorize(session, {.action = "s3:GetObject", .resource = "arn:aws:s3:::b/k"})
            .allowed());
}

TEST_CASE("GetCallerIdentity: answers for users and roots even under an explicit deny", "[sts]") {
  WorldFixture f;
  const api::CallContext denied = f.user(
      f.a,
      "denied",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})");
  auto who = f.world.sts().get_caller_identity(denied, {});
  REQUIRE(who.ok());
  CHECK(who->arn == "arn:aws:iam::111122223333:user/denied");
  CHECK(who->user_id.starts_with("AIDA"));
  auto root = f.world.sts().get_caller_identity(f.root(f.b), {});
  REQUIRE(root.ok());
  CHECK(root->user_id == "444455556666");
  CHECK(root->arn == "arn:aws:iam::444455556666:root");
  CHECK_FALSE(f.world.sts()
                  .get_caller_identity(f.call(api::Principal::service("ec2.amazonaws.com")), {})
                  .ok());
}

TEST_CASE("DecodeAuthorizationMessage needs permission and returns the explanation", "[sts]") {
  WorldFixture f;
  const std::string json = R"({"allowed":false,"summary":"no identity-based policy allows it"})";
  const std::string blob = f.world.authorization_messages().encode(json);
  const api::CallContext decoder = f.user(f.a, "decoder", allow("sts:DecodeAuthorizationMessage"));
  auto out = f.world.sts().decode_authorization_message(decoder, {blob});
  REQUIRE(out.ok());
  CHECK(out->decoded_message == json);
  const api::CallContext nobody = f.user(f.a, "nobody");
  auto denied = f.world.sts().decode_authorization_message(nobody, {blob});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "AccessDenied");
  CHECK(denied.error().message
        == "User: arn:aws:iam::111122223333:user/nobody is not authorized to perform: "
           "sts:DecodeAuthorizationMessage because no identity-based policy allows the "
           "sts:DecodeAuthorizationMessage action");
  auto garbage = f.world.sts().decode_authorization_message(decoder, {"not-a-blob"});
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().code == "InvalidAuthorizationMessageException");
  CHECK(garbage.error().http_status == 400);
  CHECK(f.world.sts().decode_authorization_message(decoder, {""}).error().code
        == "ValidationError");
}

TEST_CASE("AssumeRole: session key ids are a function of the seed", "[sts]") {
  const auto keys = [](uint64_t seed) {
    WorldFixture f(seed);
    const api::CallContext caller = f.user(f.a, "caller", kAllowAll);
    const std::string role = f.role(f.a, "R", "111122223333");
    auto out = f.world.sts().assume_role(caller, assume(role));
    return out->credentials.access_key_id + out->credentials.secret_access_key
           + out->credentials.session_token;
  };
  CHECK(keys(11) == keys(11));
  CHECK(keys(11) != keys(12));
}

}  // namespace
}  // namespace ibsim::mock_aws::sts
