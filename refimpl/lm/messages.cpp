#include "refimpl/lm/messages.hpp"

#include <fmt/core.h>

namespace lmc::ref::messages {

std::string started(const std::string& vm, const std::string& target) {
  return fmt::format("VMS2450 LIVE MIGRATION OF VM {} TO TARGET SU '{}' STARTED", vm, target);
}
std::string suspended(const std::string& vm, const std::string& target) {
  return fmt::format("VMS2452 VM {} SUSPENDED AT LIVE MIGRATION TO TARGET SU '{}'", vm, target);
}
std::string completed(const std::string& vm, const std::string& target) {
  return fmt::format("VMS2451 LIVE MIGRATION OF VM {} TO TARGET SU '{}' COMPLETED", vm, target);
}
std::string target_started(const std::string& vm, const std::string& source) {
  return fmt::format("VMS2430 LIVE MIGRATION OF VM {} FROM SOURCE SU '{}' STARTED", vm, source);
}
std::string target_created(const std::string& vm) {
  return fmt::format("VMS3050 VIRTUAL MACHINE {} CREATED", vm);
}
std::string x86_created(const std::string& vm) {
  return fmt::format("VMS6020 VIRTUAL MACHINE {} CREATED BY SYSTEM ADMINISTRATION", vm);
}
std::string device_assigned(const std::string& device, const std::string& vm, bool x86) {
  return fmt::format("VMS4005 DEVICE '{}' ASSIGNED TO VIRTUAL MACHINE {}{}", device, vm,
                     x86 ? " (BY SYSADM)" : "");
}
std::string target_resumed(const std::string& vm, const std::string& source) {
  return fmt::format("VMS2432 VM {} RESUMED AT LIVE MIGRATION FROM SOURCE SU '{}'", vm, source);
}
std::string target_completed(const std::string& vm, const std::string& source) {
  return fmt::format("VMS2431 LIVE MIGRATION OF VM {} FROM SOURCE SU '{}' COMPLETED", vm, source);
}
std::string device_removed(const std::string& device, const std::string& vm, bool x86) {
  return fmt::format("VMS4009 DEVICE '{}' REMOVED FROM VIRTUAL MACHINE {}{}", device, vm,
                     x86 ? " (BY SYSADM)" : "");
}
std::string terminated(const std::string& vm) {
  return fmt::format("VMS4024 VIRTUAL MACHINE {} TERMINATED", vm);
}
std::string x86_terminated(const std::string& vm) {
  return fmt::format("VMS6021 VIRTUAL MACHINE {} TERMINATED BY SYSTEM ADMINISTRATION", vm);
}
std::string guest_ready(const std::string& vm) {
  return fmt::format("VMS2050 GUEST SYSTEM ON VM {} READY", vm);
}
std::string reconfiguration_started() {
  return "ETMDR01 DYNAMIC RECONFIGURATION WITH FUNCTION 'MIGRATE' STARTED";
}
std::string recovery_start(bool locked) {
  return fmt::format(
      "MCS1002 GLOBAL MSCF CONFIGURATION PARAMETER 'RECOVERY-START' CHANGED FROM '{}' TO '{}'",
      locked ? "*AUTOMATIC" : "LOCKED", locked ? "LOCKED" : "*AUTOMATIC");
}
std::string reconfiguration_finished(const std::string& source, const std::string& target) {
  return fmt::format(
      "ETMDR03 LIVE MIGRATION FROM SOURCE CONFIGURATION '{}' TO TARGET CONFIGURATION '{}' "
      "FINISHED",
      source, target);
}
std::string line_active(const std::string& line) {
  return fmt::format("BCA05EC VLAN-LINE \"{}\" active", line);
}
std::string hal_suspend() {
  return "HAL0331 BS2000 SUSPEND";
}
std::string hal_resume() {
  return "HAL0332 BS2000 RESUME, CONTINUING";
}
std::string not_converging() {
  return "VMS2425 CHANGING MAIN MEMORY PAGES CANNOT BE TRANSFERRED FAST ENOUGH. LIVE MIGRATION "
         "ABORTED";
}
std::string aborted(const std::string& vm, const std::string& target, const std::string& why) {
  return fmt::format("LMC2401 LIVE MIGRATION OF VM {} TO TARGET SU '{}' ABORTED: {}", vm, target,
                     why);
}

}  // namespace lmc::ref::messages
