// presentie config path: where the register is and who writes, and why.
// presentie config show: what the register is — its replica id (which the
// hub's admin needs to issue this device a token), school, role, schema.
// presentie config set bow-number N: the school's Blik op Werk number, which
// names DUO's monthly file (presentie export duo); the admin's, audited.
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace presentie::cli {
namespace {

int RunPath(const Context& ctx) {
  auto db = ctx.DbPath();
  if (!db.ok()) return ctx.Fail(db.status());
  const Resolved user = ctx.User();
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"db", db->value},
                          {"db_source", db->source},
                          {"user", user.value},
                          {"user_source", user.source}});
  } else {
    PrintKeyValues(ctx.out(), {{"db", db->value},
                               {"db_source", db->source},
                               {"user", user.value},
                               {"user_source", user.source}});
  }
  return kExitOk;
}

int RunConfigShow(const Context& ctx) {
  auto db = ctx.DbPath();
  if (!db.ok()) return ctx.Fail(db.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  PrintRegisterInfo(ctx, db->value, (*store)->info());
  return kExitOk;
}

int RunSet(const Context& ctx, const std::string& key, const std::string& value) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  // CLI11 has checked the key: bow-number is the only setting so far.
  (void)key;
  if (Status s = (*store)->SetBowNumber(ctx.ActorFor(**store), value); !s.ok()) {
    return ctx.Fail(s);
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"bow_number", value}});
  } else {
    ctx.out() << "BoW number set to " << value << ".\n";
  }
  return kExitOk;
}

}  // namespace

void PrintRegisterInfo(const Context& ctx, const std::string& path,
                       const storage::RegisterInfo& info) {
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"replica_id", info.replica_id},
                          {"path", path},
                          {"school", info.school_name},
                          {"brin", info.brin},
                          {"role", ToString(info.role)},
                          {"schema_version", info.schema_version},
                          {"bow_number", info.bow_number},
                          {"gemeente_code", info.gemeente_code.empty()
                                                ? Json(nullptr)
                                                : Json(info.gemeente_code)},
                          {"key_file", info.key_file.empty() ? Json(nullptr)
                                                             : Json(info.key_file)}});
  } else {
    PrintKeyValues(ctx.out(), {{"replica_id", info.replica_id},
                               {"path", path},
                               {"school", info.school_name},
                               {"brin", info.brin},
                               {"role", std::string(ToString(info.role))},
                               {"schema_version", std::to_string(info.schema_version)},
                               {"bow_number", OrDash(info.bow_number)},
                               {"gemeente_code", OrDash(info.gemeente_code)},
                               {"key_file", info.key_file.empty() ? "PRESENTIE_KEY"
                                                                  : info.key_file}});
  }
}

void AddConfigCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("config", "Show the settings in effect");
  noun->require_subcommand(1);
  SetExamples(noun, "presentie config path\npresentie config show\npresentie config set bow-number 123456");
  CLI::App* path = noun->add_subcommand(
      "path", "Print the register's path and the user, and where each came from");
  SetExamples(path, "presentie config path\nPRESENTIE_DB=/tmp/r.db presentie config path --json");
  path->callback([action] { *action = [](const Context& ctx) { return RunPath(ctx); }; });
  CLI::App* show = noun->add_subcommand(
      "show", "Print what the register is: replica id, school, BRIN, role, schema version");
  SetExamples(show, "presentie config show\npresentie config show --json");
  show->callback([action] { *action = [](const Context& ctx) { return RunConfigShow(ctx); }; });

  auto key = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();
  CLI::App* set = noun->add_subcommand(
      "set", "Set a setting of this register (admin only): bow-number, the school's BoW number");
  SetExamples(set, "presentie config set bow-number 123456");
  set->add_option("key", *key, "The setting: bow-number")
      ->required()
      ->check(CLI::IsMember({"bow-number"}));
  set->add_option("value", *value, "Its value")->required();
  set->callback([action, key, value] {
    *action = [key, value](const Context& ctx) { return RunSet(ctx, *key, *value); };
  });
}

}  // namespace presentie::cli
