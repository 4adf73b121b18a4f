"""Quantal response equilibria: logit QRE of normal-form games and agent QRE of trees."""

from negotiate.solvers.qre.logit import LogitQRE, LogitQREPath, logit_qre, logit_qre_path

__all__ = ["LogitQRE", "LogitQREPath", "logit_qre", "logit_qre_path"]
