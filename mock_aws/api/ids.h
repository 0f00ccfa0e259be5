#pragma once
// Strong identifier types shared by every service: AccountId (exactly 12 digits) and Region (a
// name from the catalogue in regions.h). Both are built only through parse functions that return
// AWS-shaped errors, so a malformed or unknown id can never silently become a default.
//
//   Result<AccountId> a = parse_account_id("111122223333");

#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "sim/base/result.h"

namespace ibsim::mock_aws::api {

class AccountId {
 public:
  AccountId() = default;

  // Exactly 12 ASCII digits.
  static bool is_valid(std::string_view text);
  // Caller guarantees is_valid(text) (e.g. text came from a validated ARN).
  static AccountId from_valid(std::string_view text);

  const std::string& str() const { return id_; }

  bool empty() const { return id_.empty(); }

  auto operator<=>(const AccountId&) const = default;

 private:
  explicit AccountId(std::string id) : id_(std::move(id)) {}

  std::string id_;
};

// InvalidParameterValue-style error naming `what` when text is not 12 digits.
sim::Result<AccountId> parse_account_id(std::string_view text,
                                        std::string_view what = "account id");

class Region {
 public:
  Region() = default;

  // Caller guarantees the name is in the catalogue (use find_region / parse_region otherwise).
  static Region from_known(std::string_view name);

  const std::string& str() const { return name_; }

  bool empty() const { return name_.empty(); }

  auto operator<=>(const Region&) const = default;

 private:
  explicit Region(std::string name) : name_(std::move(name)) {}

  std::string name_;
};

struct RegionHash {
  std::size_t operator()(const Region& region) const {
    return std::hash<std::string>{}(region.str());
  }
};

// Hash of an (account, region) pair, for unordered maps keyed by one: many thousands of pairs
// under load, where an ordered map spends its time comparing digit strings.
struct AccountRegionHash {
  std::size_t operator()(const std::pair<AccountId, Region>& key) const {
    const std::size_t a = std::hash<std::string>{}(key.first.str());
    return a
           ^ (std::hash<std::string>{}(key.second.str()) + 0x9e3779b97f4a7c15ULL + (a << 6)
              + (a >> 2));
  }
};

}  // namespace ibsim::mock_aws::api
