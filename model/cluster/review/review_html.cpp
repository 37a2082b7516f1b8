#include "model/cluster/review/review_html.hpp"

#include <fmt/core.h>

#include "model/cluster/review/sequence_chart.hpp"
#include "model/cluster/review/svg.hpp"

namespace lmc::review {
namespace {

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #1f2933; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #cbd2d9; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #cbd2d9; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
td.none { color: #7b8794; }
td.off { background: #f5f7fa; color: #9aa5b1; }
a.outcome { display: inline-block; margin: 1px 0; padding: 1px 6px; border-radius: 3px;
  text-decoration: none; color: #1f2933; }
.ae { background: #fff3e0; } .t { background: #e8f5e9; } .tw { background: #fffde7; }
.blocked { background: #fdecea; }
.holds, .reached { color: #2e7d32; } .violated, .unreached { color: #c62828; font-weight: bold; }
.unknown, .skipped { color: #7b8794; }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: bold; }
.chart { overflow-x: auto; border: 1px solid #e4e7eb; margin: 6px 0; }
nav a { margin-right: 12px; }
)";

std::string e(const std::string& text) {
  return escape_xml(text);
}

const char* outcome_class(int outcome) {
  const std::string_view status = outcome_statuses()[outcome];
  return status == "$AE" ? "ae" : status == "$T" ? "t" : status == "$TW" ? "tw" : "blocked";
}

std::string status_cell(PropertyStatus status) {
  const auto name = std::string(to_string(status));
  return fmt::format("<td class=\"{0}\">{0}</td>", name);
}

void configuration_section(std::string& out, const cluster::Config& c) {
  out += "<section id=\"configuration\"><h2>Configuration</h2>\n";
  out += "<table><tr><th>MU</th><th>SE server</th></tr>\n";
  for (const auto& mu : c.mus) {
    const auto server = mu.server < static_cast<int>(c.servers.size()) ? c.servers[mu.server] : "?";
    out += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", e(mu.name), e(server));
  }
  out +=
      "</table>\n<table><tr><th>SU</th><th>SE server</th><th>architecture</th><th>memory</th>"
      "<th>VM definitions</th></tr>\n";
  for (const auto& su : c.sus) {
    const auto server = su.server < static_cast<int>(c.servers.size()) ? c.servers[su.server] : "?";
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       e(su.name), e(server), su.arch == cluster::Arch::s390 ? "/390" : "x86",
                       su.memory, su.max_vm_definitions);
  }
  out +=
      "</table>\n<table><tr><th>VM</th><th>belongs to</th><th>memory</th><th>devices</th></tr>\n";
  for (const auto& vm : c.vms) {
    std::string devices;
    for (const auto& d : vm.devices) devices += (devices.empty() ? "" : ", ") + d.id;
    const auto su = vm.su < static_cast<int>(c.sus.size()) ? c.sus[vm.su].name : "?";
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", e(vm.name), e(su),
                       vm.memory, e(devices));
  }
  const auto& s = c.scope;
  out += fmt::format(
      "</table>\n<p>Scope of the exploration: fault budget {}, {} LM request(s), {} page(s) per "
      "VM, {} guest write(s) per LM, at most {} copy rounds, definition commands {}.</p>\n",
      s.fault_budget, s.lm_requests, s.pages_per_vm, s.guest_writes, s.max_copy_rounds,
      s.definition_commands ? "on" : "off");
  out += "</section>\n";
}

void catalogue_section(std::string& out, const Catalogue& cat) {
  out += "<section id=\"catalogue\"><h2>Failure catalogue: fault kind &#215; LM phase</h2>\n";
  out += fmt::format(
      "<p>What the model says can follow a fault injected while an LM is in the phase (WP "
      "&#167;4.4), from an exhaustive search of {} states{}. Each outcome links to its shortest "
      "run.</p>\n",
      cat.states, cat.complete ? "" : " (<b>incomplete</b>: the search was cut short)");
  out += "<table class=\"matrix\"><tr><th>fault</th>";
  for (const auto* phase : lm_phase_names()) out += fmt::format("<th>{}</th>", phase);
  out += "</tr>\n";
  for (int f = 0; f < kFaultKinds; ++f) {
    out += fmt::format("<tr><th>{}</th>", e(cat.fault_kinds[f]));
    for (int p = 0; p < kLmPhases; ++p) {
      const auto& cell = cat.cell(f, p);
      if (!cell.enabled) {
        out +=
            "<td class=\"cell off\" data-verdict=\"not in scope\">not in this "
            "configuration's scope</td>";
        continue;
      }
      std::string verdicts;
      std::string links;
      for (int o = 0; o < kOutcomes; ++o) {
        const bool alone = cell.witnesses[o].has_value();
        if (!alone && !cell.with_more_faults[o]) continue;
        if (!verdicts.empty()) verdicts += "; ";
        verdicts += outcome_names()[o];
        if (!alone) verdicts += " after a further fault";
        links +=
            fmt::format("<a class=\"outcome {}\" href=\"#{}\">{} {}{}</a><br>", outcome_class(o),
                        witness_anchor(cat.fault_kinds[f], p, o), outcome_statuses()[o],
                        outcome_names()[o], alone ? "" : " (+ a further fault)");
      }
      if (verdicts.empty()) {
        out += "<td class=\"cell none\" data-verdict=\"cannot happen\">cannot happen</td>";
      } else {
        out += fmt::format("<td class=\"cell\" data-verdict=\"{}\">{}</td>", verdicts, links);
      }
    }
    out += "</tr>\n";
  }
  out +=
      "</table>\n<p>$AE: the LM aborted and rolled back, the guest runs on the source; $T: "
      "completed; $TW: completed with a warning; blocked: the LM is under way and nothing but "
      "another fault can happen. An outcome marked <i>+ a further fault</i> needs a second "
      "fault after this one (within the fault budget); the others follow from this fault "
      "alone. <i>cannot happen</i>: the fault does not fit that phase within this scope.</p>\n"
      "</section>\n";
}

void witnesses_section(std::string& out, const Catalogue& cat, const cluster::Config& config) {
  out += "<section id=\"witnesses\"><h2>Shortest witnesses</h2>\n";
  for (const auto& cell : cat.cells) {
    for (int o = 0; o < kOutcomes; ++o) {
      const auto& witness = cell.witnesses[o] ? cell.witnesses[o] : cell.with_more_faults[o];
      if (!witness) continue;
      const auto& trace = *witness;
      const auto anchor = witness_anchor(cat.fault_kinds[cell.fault], cell.phase, o);
      out += fmt::format(
          "<details class=\"witness\" id=\"{}\"><summary>{} during {}: {}{} ({} steps)</summary>\n"
          "<div class=\"chart\">{}</div></details>\n",
          anchor, e(cat.fault_kinds[cell.fault]), lm_phase_names()[cell.phase], outcome_names()[o],
          cell.witnesses[o] ? "" : " after a further fault", trace.steps.size(),
          svg_of_chart(chart_of_trace(config, trace), anchor + "-"));
    }
  }
  out += "</section>\n";
}

void properties_section(std::string& out, const CheckResult& check) {
  out += fmt::format(
      "<section id=\"properties\"><h2>Properties</h2>\n<p>The ordinary check of the "
      "configuration: {} states, {} transitions, result <b>{}</b>.</p>\n",
      check.stats.states, check.stats.transitions,
      check.verdict == Verdict::ok          ? "ok"
      : check.verdict == Verdict::violation ? "violation"
                                            : "incomplete");
  out += "<table><tr><th>property</th><th>kind</th><th>rules</th><th>verdict</th></tr>\n";
  for (const auto& p : check.properties) {
    out += fmt::format("<tr class=\"property\"><td>{}</td><td>{}</td><td>{}</td>{}</tr>\n",
                       e(p.name), e(p.kind), e(p.ids), status_cell(p.status));
  }
  out += "</table>\n</section>\n";
}

void counterexamples_section(std::string& out, const std::vector<TraceFile>& traces,
                             const cluster::Config& config) {
  out += "<section id=\"counterexamples\"><h2>Counterexamples</h2>\n";
  if (traces.empty()) out += "<p>None: no property is violated.</p>\n";
  int n = 0;
  for (const auto& trace : traces) {
    out +=
        fmt::format("<h3>{}</h3>\n<div class=\"chart\">{}</div>\n", e(trace.property.value_or("?")),
                    svg_of_chart(chart_of_trace(config, trace), fmt::format("cx{}-", n++)));
  }
  out += "</section>\n";
}

void coverage_section(std::string& out, const CheckResult& check) {
  out +=
      "<section id=\"coverage\"><h2>Coverage</h2>\n<table><tr><th>action kind</th><th>"
      "transitions</th></tr>\n";
  for (const auto& c : check.coverage) {
    if (!c.enabled) continue;
    out += fmt::format("<tr><td>{}</td><td class=\"{}\">{}</td></tr>\n", e(c.action),
                       c.count == 0 ? "violated" : "", c.count);
  }
  out +=
      "</table>\n<p>Kinds the configuration rules out are not listed; a kind listed with 0 "
      "never fired.</p>\n</section>\n";
}

}  // namespace

std::string witness_anchor(const std::string& fault, int phase, int outcome) {
  return fmt::format("w-{}-{}-{}", fault, phase, outcome);
}

std::string review_html(const ReviewInput& in) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += fmt::format("<title>lmc review: {}</title>\n<style>{}</style></head><body>\n",
                     e(in.source), kStyle);
  out += fmt::format(
      "<header><h1>Design review of {}: Live Migration under faults</h1>\n<p>Generated by lmc "
      "{}. Every statement below comes from an exhaustive search of the cluster model "
      "(spec/cluster/) within the configuration's scope.</p></header>\n",
      e(in.source), e(in.version));
  out +=
      "<nav><a href=\"#configuration\">Configuration</a><a href=\"#catalogue\">Failure "
      "catalogue</a><a href=\"#witnesses\">Witnesses</a><a href=\"#properties\">Properties</a>"
      "<a href=\"#counterexamples\">Counterexamples</a><a href=\"#coverage\">Coverage</a>"
      "</nav>\n";
  configuration_section(out, *in.config);
  catalogue_section(out, *in.catalogue);
  witnesses_section(out, *in.catalogue, *in.config);
  properties_section(out, *in.check);
  counterexamples_section(out, in.counterexamples, *in.config);
  coverage_section(out, *in.check);
  out += "</body></html>\n";
  return out;
}

}  // namespace lmc::review
