// Images: RegisterImage, DescribeImages visibility and filters, DeregisterImage, launch
// permissions (accounts, organizations, OUs, public with its quota) and image attributes.

#include <catch2/catch.hpp>

#include "tests/mock_aws/ec2/ec2_test_support.h"

namespace ibsim::mock_aws::ec2 {
namespace {

using testing::Ec2World;
using testing::kAmazonAccount;
using testing::kOtherAccount;
using testing::kSourceAccount;
using testing::kTargetAccount;
using testing::kUsEast1;
using testing::kUsWest2;

api::ec2::RegisterImageInput register_input(std::string name) {
  return {.name = std::move(name),
          .architecture = "x86_64",
          .virtualization_type = "hvm",
          .root_device_name = "/dev/xvda",
          .block_device_mappings = {
              {.device_name = "/dev/xvda", .ebs = api::ec2::EbsBlockDevice{.volume_size = 8}}}};
}

std::vector<std::string> ids_of(const api::ec2::DescribeImagesOutput& out) {
  std::vector<std::string> ids;
  for (const api::ec2::Image& image : out.images) {
    ids.push_back(*image.image_id);
  }
  return ids;
}

TEST_CASE("RegisterImage: creates an available image and its snapshot", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kSourceAccount);
  api::ec2::RegisterImageInput in = register_input("app-1");
  in.tag_specifications = {
      {.resource_type = "image", .tags = {{.key = "Team", .value = "a"}}},
      {.resource_type = "snapshot", .tags = {{.key = "Kind", .value = "root"}}}};
  sim::Result<api::ec2::RegisterImageOutput> out = w.ec2().register_image(call, in);
  REQUIRE(out.ok());
  const std::string id = *out->image_id;
  const ImageRecord& image = w.image_record(kUsEast1, id);
  CHECK(image.state == ImageState::kAvailable);
  CHECK(image.owner == kSourceAccount);
  CHECK(image.tags.at("Team") == "a");
  const SnapshotRecord& snap = w.root_snapshot(kUsEast1, id);
  CHECK_FALSE(snap.encrypted);
  CHECK(snap.tags.at("Kind") == "root");
  CHECK(snap.size_bytes() == uint64_t{8} << 30);
  CHECK(snap.content->size() == w.ec2().options().snapshot_content_bytes);

  sim::Result<api::ec2::DescribeImagesOutput> d =
      w.ec2().describe_images(call, {.image_ids = {id}});
  REQUIRE(d.ok());
  const api::ec2::Image& shape = d->images.at(0);
  CHECK(shape.name == "app-1");
  CHECK(shape.owner_id == kSourceAccount.str());
  CHECK(shape.state == "available");
  CHECK(shape.creation_date == "2026-01-01T00:00:00.000Z");
  CHECK(shape.image_location == kSourceAccount.str() + "/app-1");
  CHECK(shape.root_device_type == "ebs");
  CHECK(shape.is_public == false);
  CHECK(shape.block_device_mappings.at(0).ebs->snapshot_id == snap.id.str());
  CHECK(shape.block_device_mappings.at(0).ebs->encrypted == false);

  // Registering with an existing snapshot.
  api::ec2::RegisterImageInput again = register_input("app-2");
  again.block_device_mappings[0].ebs = api::ec2::EbsBlockDevice{.snapshot_id = snap.id.str()};
  sim::Result<api::ec2::RegisterImageOutput> second = w.ec2().register_image(call, again);
  REQUIRE(second.ok());
  CHECK(w.image_record(kUsEast1, *second->image_id).block_devices[0].snapshot_id == snap.id);
}

TEST_CASE("RegisterImage: AWS's defaults are i386 and paravirtual", "[ec2]") {
  Ec2World w;
  api::ec2::RegisterImageInput in = register_input("defaults");
  in.architecture.reset();
  in.virtualization_type.reset();
  const std::string id = *w.ec2().register_image(w.root(kSourceAccount), in)->image_id;
  CHECK(w.image_record(kUsEast1, id).architecture == Architecture::kI386);
  CHECK(w.image_record(kUsEast1, id).virtualization == Virtualization::kParavirtual);
}

TEST_CASE("RegisterImage: rejects what AWS rejects", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kSourceAccount);
  auto code = [&](const api::ec2::RegisterImageInput& in) {
    sim::Result<api::ec2::RegisterImageOutput> out = w.ec2().register_image(call, in);
    return out.ok() ? std::string("ok") : out.error().code;
  };
  api::ec2::RegisterImageInput in = register_input("x");
  CHECK(code(in) == "InvalidAMIName.Malformed");
  in = register_input("bad*name");
  CHECK(code(in) == "InvalidAMIName.Malformed");
  in = register_input("fine");
  in.architecture = "sparc";
  CHECK(code(in) == "InvalidParameterValue");
  in = register_input("fine");
  in.root_device_name = "/dev/sdz";
  CHECK(code(in) == "InvalidParameterValue");
  in = register_input("fine");
  in.root_device_name.reset();
  CHECK(code(in) == "MissingParameter");
  in = register_input("fine");
  in.block_device_mappings.clear();
  CHECK(code(in) == "MissingParameter");
  in = register_input("fine");
  in.block_device_mappings[0].ebs->kms_key_id = "alias/x";
  CHECK(code(in) == "InvalidParameterDependency");
  in = register_input("fine");
  in.block_device_mappings[0].ebs =
      api::ec2::EbsBlockDevice{.snapshot_id = "snap-0123456789abcdef0"};
  CHECK(code(in) == "InvalidSnapshot.NotFound");
  in = register_input("fine");
  in.image_location = "bucket/manifest.xml";
  CHECK(code(in) == "UnsupportedOperation");
  in = register_input("fine");
  in.dry_run = true;
  CHECK(code(in) == "DryRunOperation");
  CHECK(code(register_input("fine")) == "ok");
  sim::Result<api::ec2::RegisterImageOutput> dup =
      w.ec2().register_image(call, register_input("fine"));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "InvalidAMIName.Duplicate");
  CHECK_THAT(dup.error().message, Catch::StartsWith("AMI name fine is already in use by AMI ami-"));
  // The same name in another account or region is fine.
  CHECK(w.ec2().register_image(w.root(kTargetAccount), register_input("fine")).ok());
  CHECK(w.ec2().register_image(w.root(kSourceAccount, kUsWest2), register_input("fine")).ok());
}

TEST_CASE("RegisterImage: an encrypted mapping wraps a real data key", "[ec2]") {
  Ec2World w;
  const std::string key = w.keys().create_key(kSourceAccount, kUsEast1, {}, "alias/build");
  api::ec2::RegisterImageInput in = register_input("encrypted");
  in.block_device_mappings[0].ebs->encrypted = true;
  in.block_device_mappings[0].ebs->kms_key_id = "alias/build";
  const std::string id = *w.ec2().register_image(w.root(kSourceAccount), in)->image_id;
  const SnapshotRecord& snap = w.root_snapshot(kUsEast1, id);
  CHECK(snap.encrypted);
  CHECK(snap.kms_key_arn() == key);
  CHECK(w.keys().unwrap_with(key, *snap.data_key, snap.id.view()).has_value());
  // Encryption by default: the account's default key.
  REQUIRE(w.ec2().enable_ebs_encryption_by_default(w.root(kSourceAccount), {}).ok());
  const std::string by_default =
      *w.ec2().register_image(w.root(kSourceAccount), register_input("by-default"))->image_id;
  CHECK(w.keys().is_aws_managed_key(w.root_snapshot(kUsEast1, by_default).kms_key_arn()));
  // A KMS denial is the caller's error at once.
  w.keys().deny("generate_data_key", key);
  CHECK(w.ec2()
            .register_image(w.root(kSourceAccount),
                            [&] {
                              api::ec2::RegisterImageInput again = in;
                              again.name = "denied";
                              return again;
                            }())
            .error()
            .code
        == "AccessDeniedException");
}

TEST_CASE("DescribeImages: visibility for owner shared public and others", "[ec2]") {
  Ec2World w;
  const std::string own = w.image(kSourceAccount);
  const std::string shared = w.image(kTargetAccount);
  const std::string hidden = w.image(kOtherAccount);
  Ec2Model::SeedImage pub;
  pub.owner = kAmazonAccount;
  pub.region = kUsEast1;
  pub.name = "amzn2-ami-hvm";
  const std::string amazon = *w.ec2().seed_public_image(pub);
  w.share(kTargetAccount, kUsEast1, shared, kSourceAccount);
  const api::CallContext call = w.root(kSourceAccount);

  sim::Result<api::ec2::DescribeImagesOutput> all = w.ec2().describe_images(call, {});
  REQUIRE(all.ok());
  std::vector<std::string> expected = {own, shared, amazon};
  std::sort(expected.begin(), expected.end());
  CHECK(ids_of(*all) == expected);

  CHECK(ids_of(*w.ec2().describe_images(call, {.owners = {"self"}})) == std::vector{own});
  CHECK(ids_of(*w.ec2().describe_images(call, {.owners = {"amazon"}})) == std::vector{amazon});
  CHECK(ids_of(*w.ec2().describe_images(call, {.owners = {kTargetAccount.str()}}))
        == std::vector{shared});
  CHECK(ids_of(*w.ec2().describe_images(call, {.owners = {kOtherAccount.str()}})).empty());
  CHECK(ids_of(*w.ec2().describe_images(call, {.executable_users = {"self"}}))
        == std::vector{shared});
  CHECK(ids_of(*w.ec2().describe_images(call, {.executable_users = {"all"}}))
        == std::vector{amazon});
  // The owner asks which of its images an account may use.
  CHECK(ids_of(*w.ec2().describe_images(w.root(kTargetAccount),
                                        {.executable_users = {kSourceAccount.str()}}))
        == std::vector{shared});
  // Asking for an invisible image by id is not found; a malformed id is malformed.
  sim::Result<api::ec2::DescribeImagesOutput> missing =
      w.ec2().describe_images(call, {.image_ids = {hidden}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "InvalidAMIID.NotFound");
  CHECK(missing.error().message == "The image id '[" + hidden + "]' does not exist");
  CHECK(w.ec2().describe_images(call, {.image_ids = {"ami-xyz"}}).error().code
        == "InvalidAMIID.Malformed");
  // The other account sees only its own and public images.
  std::vector<std::string> other = {hidden, amazon};
  std::sort(other.begin(), other.end());
  CHECK(ids_of(*w.ec2().describe_images(w.root(kOtherAccount), {})) == other);
  // Amazon's images carry the owner alias.
  const api::ec2::Image a = w.ec2().describe_images(call, {.image_ids = {amazon}})->images.at(0);
  CHECK(a.image_owner_alias == "amazon");
  CHECK(a.is_public == true);
  // Images are regional.
  CHECK(w.ec2().describe_images(w.root(kSourceAccount, kUsWest2), {})->images.empty());
}

TEST_CASE("DescribeImages: filters by name state tags and public flag", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kSourceAccount);
  const std::string a = w.image(kSourceAccount, kUsEast1, {}, "web-2026-01");
  const std::string b = w.image(kSourceAccount, kUsEast1, {}, "web-2026-02");
  const std::string c = w.image(kSourceAccount, kUsEast1, {}, "db-2026-01");
  REQUIRE(w.ec2()
              .create_tags(call, {.resources = {a, c}, .tags = {{.key = "Env", .value = "prod"}}})
              .ok());
  REQUIRE(w.ec2()
              .modify_image_attribute(
                  call,
                  {.image_id = b,
                   .launch_permission =
                       api::ec2::LaunchPermissionModifications{.add = {{.group = "all"}}}})
              .ok());
  auto filtered = [&](std::vector<api::ec2::Filter> filters) {
    sim::Result<api::ec2::DescribeImagesOutput> out =
        w.ec2().describe_images(call, {.owners = {"self"}, .filters = std::move(filters)});
    REQUIRE(out.ok());
    return ids_of(*out);
  };
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(filtered({{.name = "name", .values = {"web-*"}}}) == sorted({a, b}));
  CHECK(filtered({{.name = "name", .values = {"db-2026-0?"}}}) == std::vector{c});
  CHECK(filtered({{.name = "tag:Env", .values = {"prod"}}}) == sorted({a, c}));
  CHECK(filtered({{.name = "tag-key", .values = {"Env"}}}) == sorted({a, c}));
  CHECK(filtered({{.name = "is-public", .values = {"true"}}}) == std::vector{b});
  CHECK(filtered({{.name = "state", .values = {"available"}}}).size() == 3);
  CHECK(filtered({{.name = "image-id", .values = {a}}}) == std::vector{a});
  CHECK(filtered({{.name = "owner-id", .values = {kSourceAccount.str()}}}).size() == 3);
  CHECK(filtered({{.name = "name", .values = {"web-*"}}, {.name = "tag:Env", .values = {"prod"}}})
        == std::vector{a});
  CHECK(filtered({{.name = "block-device-mapping.encrypted", .values = {"false"}}}).size() == 3);
  sim::Result<api::ec2::DescribeImagesOutput> bad =
      w.ec2().describe_images(call, {.filters = {{.name = "colour", .values = {"x"}}}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "InvalidParameterValue");
  CHECK(bad.error().message == "The filter 'colour' is invalid");
}

TEST_CASE("DescribeImages: pagination with MaxResults and NextToken", "[ec2]") {
  Ec2World w;
  for (int i = 0; i < 12; ++i) {
    w.image(kSourceAccount);
  }
  const api::CallContext call = w.root(kSourceAccount);
  std::vector<std::string> seen;
  std::optional<std::string> token;
  int pages = 0;
  do {
    sim::Result<api::ec2::DescribeImagesOutput> page =
        w.ec2().describe_images(call, {.max_results = 5, .next_token = token});
    REQUIRE(page.ok());
    for (const std::string& id : ids_of(*page)) {
      seen.push_back(id);
    }
    token = page->next_token;
    ++pages;
  } while (token.has_value());
  CHECK(pages == 3);
  CHECK(seen.size() == 12);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(w.ec2().describe_images(call, {.max_results = 4}).error().code == "InvalidParameterValue");
  CHECK(w.ec2().describe_images(call, {.next_token = "garbage"}).error().code
        == "InvalidParameterValue");
  CHECK(w.ec2().describe_images(call, {.image_ids = {seen[0]}, .max_results = 5}).error().code
        == "InvalidParameterCombination");
}

TEST_CASE("DeregisterImage: removes the image and optionally its snapshots", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kSourceAccount);
  const std::string keep = w.image(kSourceAccount);
  const std::string drop = w.image(kSourceAccount);
  const std::string keep_snap = w.root_snapshot(kUsEast1, keep).id.str();
  const std::string drop_snap = w.root_snapshot(kUsEast1, drop).id.str();

  CHECK(w.ec2().deregister_image(w.root(kTargetAccount), {.image_id = keep}).error().code
        == "InvalidAMIID.NotFound");
  w.share(kSourceAccount, kUsEast1, keep, kTargetAccount);
  CHECK(w.ec2().deregister_image(w.root(kTargetAccount), {.image_id = keep}).error().code
        == "AuthFailure");

  sim::Result<api::ec2::DeregisterImageOutput> out =
      w.ec2().deregister_image(call, {.image_id = keep});
  REQUIRE(out.ok());
  CHECK(out->return_value == true);
  CHECK(w.state_of(kUsEast1, keep) == "absent");
  CHECK(w.ec2().find_snapshot(kUsEast1, keep_snap) != nullptr);

  out = w.ec2().deregister_image(call, {.image_id = drop, .delete_associated_snapshots = true});
  REQUIRE(out.ok());
  REQUIRE(out->delete_snapshot_results.size() == 1);
  CHECK(out->delete_snapshot_results[0].return_code == "success");
  CHECK(w.ec2().find_snapshot(kUsEast1, drop_snap) == nullptr);
  CHECK(w.ec2().deregister_image(call, {.image_id = drop}).error().code == "InvalidAMIID.NotFound");
  CHECK(w.ec2().deregister_image(call, {}).error().code == "MissingParameter");
}

TEST_CASE("ModifyImageAttribute: shares with accounts organizations and OUs", "[ec2]") {
  Ec2World w;
  const std::string image = w.image(kSourceAccount);
  const api::CallContext owner = w.root(kSourceAccount);
  const std::string org = "arn:aws:organizations::111111111111:organization/o-abc123";
  const std::string ou = "arn:aws:organizations::111111111111:ou/o-abc123/ou-aa-bbbbbbbb";
  w.ec2().seed_account_organization(kTargetAccount, org, {});
  w.ec2().seed_account_organization(
      kOtherAccount, "arn:aws:organizations::999999999999:organization/o-zzz999", {ou});

  CHECK(w.ec2().describe_images(w.root(kTargetAccount), {.image_ids = {image}}).error().code
        == "InvalidAMIID.NotFound");
  REQUIRE(w.ec2()
              .modify_image_attribute(
                  owner,
                  {.image_id = image,
                   .launch_permission =
                       api::ec2::LaunchPermissionModifications{
                           .add = {{.organization_arn = org}, {.organizational_unit_arn = ou}}}})
              .ok());
  CHECK(w.ec2().describe_images(w.root(kTargetAccount), {.image_ids = {image}}).ok());
  CHECK(w.ec2().describe_images(w.root(kOtherAccount), {.image_ids = {image}}).ok());

  sim::Result<api::ec2::DescribeImageAttributeOutput> attr =
      w.ec2().describe_image_attribute(owner, {.image_id = image, .attribute = "launchPermission"});
  REQUIRE(attr.ok());
  REQUIRE(attr->launch_permissions.size() == 2);
  CHECK(attr->launch_permissions[0].organization_arn == org);
  CHECK(attr->launch_permissions[1].organizational_unit_arn == ou);
  // Only the owner sees who an image is shared with.
  CHECK(w.ec2()
            .describe_image_attribute(w.root(kTargetAccount),
                                      {.image_id = image, .attribute = "launchPermission"})
            .error()
            .code
        == "AuthFailure");
  CHECK(w.ec2()
            .describe_image_attribute(w.root(kTargetAccount),
                                      {.image_id = image, .attribute = "description"})
            .ok());

  // Remove, then the legacy form.
  REQUIRE(w.ec2()
              .modify_image_attribute(
                  owner,
                  {.image_id = image,
                   .launch_permission =
                       api::ec2::LaunchPermissionModifications{
                           .remove = {{.organization_arn = org}, {.organizational_unit_arn = ou}}}})
              .ok());
  CHECK(w.image_record(kUsEast1, image).launch_permissions == nullptr);
  REQUIRE(w.ec2()
              .modify_image_attribute(owner,
                                      {.image_id = image,
                                       .attribute = "launchPermission",
                                       .operation_type = "add",
                                       .user_ids = {kTargetAccount.str()}})
              .ok());
  CHECK(w.image_record(kUsEast1, image).launch_permissions->user_ids.count(kTargetAccount) == 1);
  REQUIRE(w.ec2()
              .reset_image_attribute(owner, {.image_id = image, .attribute = "launchPermission"})
              .ok());
  CHECK(w.image_record(kUsEast1, image).launch_permissions == nullptr);
}

TEST_CASE("ModifyImageAttribute: rejects malformed items", "[ec2]") {
  Ec2World w;
  const std::string image = w.image(kSourceAccount);
  const api::CallContext owner = w.root(kSourceAccount);
  auto add = [&](api::ec2::LaunchPermission p) {
    sim::Result<api::ec2::ModifyImageAttributeOutput> out = w.ec2().modify_image_attribute(
        owner,
        {.image_id = image,
         .launch_permission = api::ec2::LaunchPermissionModifications{.add = {std::move(p)}}});
    return out.ok() ? std::string("ok") : out.error().code;
  };
  CHECK(add({.user_id = "1234"}) == "InvalidAMIAttributeItemValue");
  CHECK(add({.group = "everyone"}) == "InvalidAMIAttributeItemValue");
  CHECK(add({.organization_arn = "arn:aws:iam::1:root"}) == "InvalidAMIAttributeItemValue");
  CHECK(add({.user_id = kTargetAccount.str(), .group = "all"}) == "InvalidParameterCombination");
  CHECK(add({}) == "InvalidParameterCombination");
  CHECK(w.ec2()
            .modify_image_attribute(owner, {.image_id = image, .attribute = "launchPermission"})
            .error()
            .code
        == "MissingParameter");
  CHECK(
      w.ec2().modify_image_attribute(owner, {.image_id = image, .attribute = "kernel"}).error().code
      == "InvalidParameterValue");
  // The description attribute.
  REQUIRE(
      w.ec2()
          .modify_image_attribute(
              owner, {.image_id = image, .description = api::ec2::AttributeValue{.value = "new"}})
          .ok());
  CHECK(w.image_record(kUsEast1, image).description == "new");
}

TEST_CASE("ModifyImageAttribute: the public AMI quota is five with AWS's message", "[ec2]") {
  Ec2World w;
  const api::CallContext owner = w.root(kSourceAccount);
  auto make_public = [&](const std::string& id) {
    return w.ec2().modify_image_attribute(
        owner,
        {.image_id = id,
         .launch_permission = api::ec2::LaunchPermissionModifications{.add = {{.group = "all"}}}});
  };
  std::vector<std::string> images;
  for (int i = 0; i < 6; ++i) {
    images.push_back(w.image(kSourceAccount));
  }
  for (int i = 0; i < 5; ++i) {
    REQUIRE(make_public(images[static_cast<std::size_t>(i)]).ok());
  }
  // Making an already public image public again does not count twice.
  CHECK(make_public(images[0]).ok());
  sim::Result<api::ec2::ModifyImageAttributeOutput> sixth = make_public(images[5]);
  REQUIRE_FALSE(sixth.ok());
  CHECK(sixth.error().code == "ResourceLimitExceeded");
  CHECK(sixth.error().message ==
        "You have reached your quota of 5 for the number of public images allowed in this Region. "
        "Deregister unused public images or make them private, or request an increase in your "
        "public AMIs quota.");
  // Another region, or after making one private, there is room.
  REQUIRE(w.ec2()
              .modify_image_attribute(
                  owner,
                  {.image_id = images[0],
                   .launch_permission =
                       api::ec2::LaunchPermissionModifications{.remove = {{.group = "all"}}}})
              .ok());
  CHECK(make_public(images[5]).ok());
}

TEST_CASE("ModifyImageAttribute: encrypted images are never public nor shared under aws/ebs",
          "[ec2]") {
  Ec2World w;
  const api::CallContext owner = w.root(kSourceAccount);
  const std::string cmk = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string managed = w.keys().aws_managed_ebs_key(kSourceAccount, kUsEast1);
  const std::string with_cmk = w.image(kSourceAccount, kUsEast1, cmk);
  const std::string with_managed = w.image(kSourceAccount, kUsEast1, managed);
  auto add = [&](const std::string& id, api::ec2::LaunchPermission p) {
    return w.ec2().modify_image_attribute(
        owner,
        {.image_id = id,
         .launch_permission = api::ec2::LaunchPermissionModifications{.add = {std::move(p)}}});
  };
  CHECK(add(with_cmk, {.user_id = kTargetAccount.str()}).ok());
  CHECK(add(with_cmk, {.group = "all"}).error().code == "InvalidParameter");
  sim::Result<api::ec2::ModifyImageAttributeOutput> managed_share =
      add(with_managed, {.user_id = kTargetAccount.str()});
  REQUIRE_FALSE(managed_share.ok());
  CHECK(managed_share.error().message
        == "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. Specify another "
           "snapshot.");
  CHECK(w.image_record(kUsEast1, with_managed).launch_permissions == nullptr);
}

TEST_CASE("ModifyImageAttribute: only the owner and only with IAM permission", "[ec2]") {
  Ec2World w;
  const std::string image = w.image(kSourceAccount);
  w.share(kSourceAccount, kUsEast1, image, kTargetAccount);
  const api::ec2::ModifyImageAttributeInput in{
      .image_id = image,
      .launch_permission =
          api::ec2::LaunchPermissionModifications{.add = {{.user_id = kOtherAccount.str()}}}};
  CHECK(w.ec2().modify_image_attribute(w.root(kTargetAccount), in).error().code == "AuthFailure");
  const api::CallContext role = w.role(kSourceAccount, "Sharer");
  CHECK(w.ec2().modify_image_attribute(role, in).error().code == "UnauthorizedOperation");
  // ec2:Attribute narrows what a role may change.
  w.authz().attach(Ec2World::role_arn(kSourceAccount, "Sharer"),
                   R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                   R"("Action":"ec2:ModifyImageAttribute","Resource":"*","Condition":)"
                   R"({"StringEquals":{"ec2:Attribute":"launchPermission"}}}]})");
  CHECK(w.ec2().modify_image_attribute(role, in).ok());
  CHECK(w.ec2()
            .modify_image_attribute(
                role, {.image_id = image, .description = api::ec2::AttributeValue{.value = "x"}})
            .error()
            .code
        == "UnauthorizedOperation");
}

TEST_CASE("DescribeImageAttribute: attributes and their errors", "[ec2]") {
  Ec2World w;
  const std::string image = w.image(kSourceAccount);
  const api::CallContext owner = w.root(kSourceAccount);
  sim::Result<api::ec2::DescribeImageAttributeOutput> bdm = w.ec2().describe_image_attribute(
      owner, {.image_id = image, .attribute = "blockDeviceMapping"});
  REQUIRE(bdm.ok());
  CHECK(bdm->block_device_mappings.size() == 1);
  CHECK(bdm->image_id == image);
  CHECK(w.ec2()
            .describe_image_attribute(owner, {.image_id = image, .attribute = "colour"})
            .error()
            .code
        == "InvalidParameterValue");
  CHECK(w.ec2().describe_image_attribute(owner, {.image_id = image}).error().code
        == "MissingParameter");
  CHECK(w.ec2()
            .reset_image_attribute(owner, {.image_id = image, .attribute = "description"})
            .error()
            .code
        == "InvalidParameterValue");
}

TEST_CASE("Seeds: images with bad input are refused by the API's rules", "[ec2]") {
  Ec2World w;
  Ec2Model::SeedImage seed;
  seed.owner = kSourceAccount;
  seed.region = kUsEast1;
  seed.name = "seeded";
  seed.image_id = "ami-0123456789abcdef0";
  REQUIRE(w.ec2().seed_image(seed).ok());
  CHECK(w.ec2().seed_image(seed).error().code == "InvalidParameterValue");
  seed.image_id = "ami-nothex";
  CHECK(w.ec2().seed_image(seed).error().code == "InvalidAMIID.Malformed");
  seed.image_id.clear();
  seed.name = "other";
  seed.root_device_name = "/dev/sdb";
  CHECK_FALSE(w.ec2().seed_image(seed).ok());
  Ec2Model::SeedImage encrypted_public;
  encrypted_public.owner = kAmazonAccount;
  encrypted_public.region = kUsEast1;
  encrypted_public.name = "bad-public";
  encrypted_public.block_devices[0].kms_key_arn = w.keys().create_key(kAmazonAccount, kUsEast1);
  CHECK_FALSE(w.ec2().seed_public_image(encrypted_public).ok());
  Ec2Model::SeedImage managed_shared;
  managed_shared.owner = kSourceAccount;
  managed_shared.region = kUsEast1;
  managed_shared.name = "managed-shared";
  managed_shared.block_devices[0].kms_key_arn =
      w.keys().aws_managed_ebs_key(kSourceAccount, kUsEast1);
  managed_shared.launch_permissions = {{.user_id = kTargetAccount.str()}};
  CHECK(w.ec2().seed_image(managed_shared).error().code == "InvalidParameter");
}

}  // namespace
}  // namespace ibsim::mock_aws::ec2
