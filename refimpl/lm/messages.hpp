#pragma once
// The texts of the console messages of an LM, as the whitepaper shows them
// (WP §4.6.1 SU /390, §4.6.2 SU x86, §4.8 /CHECK-VM-MIGRATION, §4.7 VMS2425).
// Where the seed shows no message (an abort other than VMS2425), the lines
// carry our own ID prefix LMC so that nobody mistakes them for VM2000's.

#include <string>

namespace lmc::ref::messages {

/// "(12,VM12PROD)"

std::string started(const std::string& vm, const std::string& target);                    // VMS2450
std::string suspended(const std::string& vm, const std::string& target);                  // VMS2452
std::string completed(const std::string& vm, const std::string& target);                  // VMS2451
std::string target_started(const std::string& vm, const std::string& source);             // VMS2430
std::string target_created(const std::string& vm);                                        // VMS3050
std::string x86_created(const std::string& vm);                                           // VMS6020
std::string device_assigned(const std::string& device, const std::string& vm, bool x86);  // VMS4005
std::string target_resumed(const std::string& vm, const std::string& source);             // VMS2432
std::string target_completed(const std::string& vm, const std::string& source);           // VMS2431
std::string device_removed(const std::string& device, const std::string& vm, bool x86);   // VMS4009
std::string terminated(const std::string& vm);                                            // VMS4024
std::string x86_terminated(const std::string& vm);                                        // VMS6021
std::string guest_ready(const std::string& vm);                                           // VMS2050
std::string reconfiguration_started();                                                    // ETMDR01
std::string recovery_start(bool locked);                                                  // MCS1002
std::string reconfiguration_finished(const std::string& source,
                                     const std::string& target);  // ETMDR03
std::string line_active(const std::string& line);                 // BCA05EC
std::string hal_suspend();                                        // HAL0331
std::string hal_resume();                                         // HAL0332
std::string not_converging();                                     // VMS2425
std::string aborted(const std::string& vm, const std::string& target,
                    const std::string& why);  // LMC2401

}  // namespace lmc::ref::messages
